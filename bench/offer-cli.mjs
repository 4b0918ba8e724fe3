// Benchmark: `dstack offer --gpu A100` end to end (node start, bundle load, catalog, match, print),
// median of 15 runs after 2 warm-ups. Target: <= 300 ms on this machine.
//
// Run: node scripts/build.mjs && node bench/offer-cli.mjs
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { report, stats } from "./lib.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
if (!existsSync(new URL("../dist/cli.js", import.meta.url))) {
  console.error("dist/ is missing: run node scripts/build.mjs first");
  process.exit(1);
}
const RUNS = 15;

function time(args) {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8" });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`${args.join(" ")} failed: ${result.stderr}`);
  return ms;
}

function measure(args) {
  for (let i = 0; i < 2; i++) time(args);
  return stats(Array.from({ length: RUNS }, () => time(args)));
}

const node = measure(["-e", ""]);
const offer = measure(["bin/dstack.js", "offer", "--gpu", "A100"]);
const help = measure(["bin/dstack.js", "--help"]);
const show = (r) => `median ${r.median.toFixed(0)} ms (min ${r.min.toFixed(0)}, max ${r.max.toFixed(0)})`;
report(`dstack offer --gpu A100 (median of ${RUNS} runs)`, offer.median, 300);
console.log(`  offer: ${show(offer)}`);
console.log(`  for scale: node -e "" ${show(node)}; dstack --help ${show(help)}`);
