// Start-up of the CLI: `dstack --help` and `dstack validate` as real processes (targets on this machine:
// 150 ms and 250 ms), against the floor of `node -e 0`. Also checks that no @pulumi module loads on
// these paths. Run: node scripts/build.mjs && node bench/startup.mjs [runs]
import { spawnSync } from "node:child_process";
import { report, stats, ms } from "./lib.mjs";

const runs = Number(process.argv[2] ?? 25);
const bin = new URL("../bin/dstack.js", import.meta.url).pathname;

function time(args) {
  const samples = [];
  for (let i = 0; i < runs + 2; i++) {
    const start = performance.now();
    const r = spawnSync(process.execPath, args, { encoding: "utf8" });
    const elapsed = performance.now() - start;
    if (r.status !== 0) throw new Error(`${args.join(" ")} failed: ${r.stderr}`);
    if (i >= 2) samples.push(elapsed); // two warm-up runs fill the OS file cache
  }
  return stats(samples);
}

const floor = time(["-e", "0"]);
const help = time([bin, "--help"]);
const validate = time([bin, "validate", "-f", "examples/.dstack.yml"]);
console.log(`runs: ${runs} each; median (p90)`);
console.log(
  `node -e 0 (floor)                            ${ms(floor.median).padStart(10)}   (${ms(floor.p90)})`,
);
report("dstack --help", help.median, 150);
report("dstack validate -f examples/.dstack.yml", validate.median, 250);
console.log(
  `over the node floor: --help +${ms(help.median - floor.median)}, validate +${ms(validate.median - floor.median)}`,
);

// No cloud SDK on these paths: trace every module one validate run resolves.
const register = new URL("./trace-loads-register.mjs", import.meta.url).pathname;
const traced = spawnSync(
  process.execPath,
  ["--import", register, bin, "validate", "-f", "examples/.dstack.yml"],
  { encoding: "utf8" },
);
const loads = traced.stderr.split("\n").filter((l) => l.startsWith("LOAD "));
const pulumi = loads.filter((l) => l.includes("@pulumi"));
console.log(`modules resolved by validate: ${loads.length}; @pulumi among them: ${pulumi.length}`);
if (pulumi.length > 0) process.exitCode = 1;
