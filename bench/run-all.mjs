// Every benchmark in one go: node scripts/build.mjs && node bench/run-all.mjs
import { spawnSync } from "node:child_process";

for (const script of ["startup.mjs", "validate-many.mjs", "catalog-query.mjs", "offer-cli.mjs"]) {
  console.log(`\n== bench/${script}`);
  const r = spawnSync(process.execPath, [new URL(script, import.meta.url).pathname], { stdio: "inherit" });
  if (r.status !== 0) process.exitCode = 1;
}
