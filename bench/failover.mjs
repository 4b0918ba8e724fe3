// Time to capacity when the first K attempts fail fast (issue 6, section 9): K simulated zones of the
// local backend faulted with no capacity, one healthy zone last, through the built CLI, the real Pulumi
// engine and Docker (`dstack apply -y -d` of a task, a fresh HOME per K so no idle instance is reused).
// Each progress line is stamped as it arrives; from them: the time from the first attempt to the
// instance provisioned, the cost of one failed attempt (from one attempt's start to the next's), and
// the healthy create. A failed attempt is two Pulumi updates (add the instance: the create fails in the
// provider; update the pool back without it), so it is compared with the engine's floor for one empty
// update on the file backend, measured here as bench/engine-overhead.mjs does. Prints figures only.
// Needs ./scripts/setup. Run: node bench/failover.mjs [K...]   (default 1 2 5 10 20; ~3 min on 2 cores)
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { engineFloor } from "./engine-floor.mjs";
import { slopeOf, stats, timedCli } from "./lib.mjs";

const bin = new URL("../bin/dstack.js", import.meta.url).pathname;
const ks = process.argv.slice(2).map(Number);
const K = ks.length > 0 ? ks : [1, 2, 5, 10, 20];
const repo = mkdtempSync(join(tmpdir(), "dstack-bench-failover-repo-"));
spawnSync("git", ["init", "-q"], { cwd: repo });
writeFileSync(
  join(repo, "task.dstack.yml"),
  "type: task\nname: landed\ncommands: [echo landed]\nidle_duration: 1s\n",
);
const s = (x) => `${(x / 1000).toFixed(2)} s`;

function userWith(k) {
  const home = mkdtempSync(join(tmpdir(), "dstack-bench-failover-home-"));
  mkdirSync(join(home, ".dstack"));
  const zones = Array.from({ length: k + 1 }, (_, i) => `zone-${String(i + 1).padStart(2, "0")}`);
  const faulted = zones.slice(0, k);
  writeFileSync(
    join(home, ".dstack", "config.yml"),
    `backends:\n  - type: local\n    zones: [${zones.join(", ")}]\n    faults: {no_capacity: [${faulted.join(", ")}]}\n`,
  );
  const env = {
    ...process.env,
    HOME: home,
    DSTACK_CACHE: process.env.DSTACK_CACHE ?? join(homedir(), ".cache", "dstack"),
    DSTACK_REAPER_INTERVAL_MS: "1000",
    NO_COLOR: "1",
  };
  return { home, env };
}

/** `apply -y -d`, each output line stamped with the time since start. */
const timedApply = (env) => timedCli(bin, ["apply", "-f", "task.dstack.yml", "-y", "-d"], { cwd: repo, env });

const floor = await engineFloor();
console.log(`engine floor: empty up on the file backend, median of 4 after a warm-up: ${s(floor)}\n`);

const rows = [];
const homes = [];
for (const k of K) {
  const { home, env } = userWith(k);
  homes.push({ home, env });
  const run = await timedApply(env);
  const starts = run.marks.filter(([, l]) => /^Attempt \d+\/\d+: .*\.\.\.$/.test(l)).map(([t]) => t);
  const landed = run.marks.find(([, l]) => /^Attempt \d+\/\d+: .* \.\.\. provisioned$/.test(l))?.[0];
  if (starts.length !== k + 1 || landed === undefined)
    throw new Error(`unexpected attempts for K=${k}:\n${run.marks.map((m) => m[1]).join("\n")}`);
  const failed = starts.slice(1).map((t, i) => t - starts[i]);
  const toCapacity = landed - starts[0];
  const perFailed = stats(failed).median;
  rows.push({ k, total: run.total, toCapacity, perFailed, healthy: landed - starts[k] });
  console.log(
    `K=${String(k).padStart(2)}: time to capacity ${s(toCapacity)} (apply end to end ${s(run.total)}); ` +
      `per failed attempt median ${s(perFailed)} (min ${s(Math.min(...failed))}, max ${s(Math.max(...failed))}); ` +
      `the healthy create ${s(landed - starts[k])}`,
  );
}

// Fit time-to-capacity = a + b*K: b is the marginal cost of one more failed attempt.
const slope = slopeOf(
  rows,
  (r) => r.k,
  (r) => r.toCapacity,
);
const perFailed = stats(rows.map((r) => r.perFailed)).median;
console.log(
  `\nper failed attempt: ${s(slope)} (slope of time to capacity over K), ${s(perFailed)} (median of medians); ` +
    `engine floor ${s(floor)} per update; ratio ${(perFailed / floor).toFixed(2)}x one update, ` +
    `${(perFailed / (2 * floor)).toFixed(2)}x the two updates a failed attempt makes`,
);

// Leave nothing behind: each task exited at once, so its instance idles 1 s and the reaper destroys it.
for (const { home, env } of homes) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    let count;
    try {
      count = JSON.parse(readFileSync(join(home, ".dstack", "pools", "local.json"), "utf8")).instances.length;
    } catch {
      count = 0;
    }
    if (count === 0) break;
    if (Date.now() > deadline) {
      console.log(`warning: ${home} still holds ${count} instance(s); dstack ps / docker ps to check`);
      break;
    }
    spawnSync(process.execPath, [bin, "ps"], { cwd: repo, env });
    await new Promise((r) => setTimeout(r, 1000));
  }
}
