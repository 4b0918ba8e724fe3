// Every benchmark in one go: node scripts/build.mjs && node bench/run-all.mjs [--instances]
// --instances adds the ones that boot instances (Docker, Pulumi, minutes each): local-apply.mjs and
// cloud-apply.mjs (apply to ssh-ready, cold and warm, on the local backend and the fake AWS cloud).
import { spawnSync } from "node:child_process";

const quick = ["startup.mjs", "validate-many.mjs", "catalog-query.mjs", "offer-cli.mjs"];
const instances = process.argv.includes("--instances") ? ["local-apply.mjs", "cloud-apply.mjs"] : [];
for (const script of [...quick, ...instances]) {
  console.log(`\n== bench/${script}`);
  const r = spawnSync(process.execPath, [new URL(script, import.meta.url).pathname], { stdio: "inherit" });
  if (r.status !== 0) process.exitCode = 1;
}
