// Generated files are stamped and checked (DESIGN.md style 9): regenerate them and fail on any difference.
// `node scripts/check-generated.mjs --write` updates them.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { execFileSync, spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";

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

// Generated Pulumi projects of the examples (`dstack generate`), with a fresh HOME so only the bundled
// catalog and no personal config.yml shape them.
const KEY = ["--ssh-public-key", "examples/stacks/team.pub"];
const projects = [
  ["examples/task.dstack.yml", "examples/stacks/aws-train", "-b", "aws", ...KEY],
  ["examples/task.dstack.yml", "examples/stacks/gcp-train", "-b", "gcp", ...KEY],
  ["examples/task.dstack.yml", "examples/stacks/azure-train", "-b", "azure", ...KEY],
  ["examples/finetune.dstack.yml", "examples/stacks/aws-finetune", ...KEY],
  ["examples/tpu.dstack.yml", "examples/stacks/gcp-tpu", ...KEY],
  ["examples/volume.dstack.yml", "examples/stacks/aws-volume"],
];
const home = mkdtempSync(join(tmpdir(), "dstack-generated-"));
for (const [file, dir, ...flags] of projects) {
  const args = ["bin/dstack.js", "generate", "-f", file, "-o", dir, ...flags, ...(write ? [] : ["--check"])];
  const result = spawnSync(process.execPath, args, { encoding: "utf8", env: { ...process.env, HOME: home } });
  if (result.status === 0) {
    if (write) console.log(result.stdout.trim());
    continue;
  }
  console.error(result.stderr.trim());
  if (!write) console.error(`run node scripts/check-generated.mjs --write and commit ${dir}`);
  stale++;
}
rmSync(home, { recursive: true, force: true });
process.exit(stale > 0 ? 1 : 0);
