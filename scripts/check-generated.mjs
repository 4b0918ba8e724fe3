// Generated files are stamped and checked (DESIGN.md style 9): regenerate them and fail on any difference.
// `node scripts/check-generated.mjs --write` updates them.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";

const write = process.argv.includes("--write");
const targets = [
  { file: "schema/dstack.schema.json", args: ["schema"] },
  { file: "schema/profiles.schema.json", args: ["schema", "--profiles"] },
];
let stale = 0;
for (const { file, args } of targets) {
  const fresh = execFileSync(process.execPath, ["bin/dstack.js", ...args], { encoding: "utf8" });
  const current = existsSync(file) ? readFileSync(file, "utf8") : "";
  if (current === fresh) continue;
  if (write) {
    writeFileSync(file, fresh);
    console.log(`updated ${file}`);
  } else {
    console.error(`${file} is out of date: run node scripts/check-generated.mjs --write and commit it`);
    stale++;
  }
}
process.exit(stale > 0 ? 1 : 0);
