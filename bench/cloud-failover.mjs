// Time to capacity on a cloud when the first K attempts fail fast (issue 6, section 9), the cloud
// variant of bench/failover.mjs: `dstack apply -y` of a one-node AWS fleet through the built CLI, the
// real Pulumi engine and the fake cloud (test/fake-cloud, loaded from PATH in place of aws), whose
// faults.json fails the creates of the first K attempts of the plan (region, zone and type) with AWS's
// InsufficientInstanceCapacity text. A failed attempt there is one failed `up` of the fleet's stack plus
// the destroy that leaves nothing behind; compared with the engine's floor for one empty update. Each
// user is fresh (HOME, fake-cloud store); every fleet is deleted afterwards. Prints figures only.
// Needs ./scripts/setup. Run: node bench/cloud-failover.mjs [K...]   (default 1 2 5 10 20)
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { pathToFileURL } from "node:url";
import { engineFloor } from "./engine-floor.mjs";
import { importBundled, slopeOf, stats, timedCli } from "./lib.mjs";

const bin = new URL("../bin/dstack.js", import.meta.url).pathname;
const root = new URL("..", import.meta.url).pathname;
const ks = process.argv.slice(2).map(Number);
const K = ks.length > 0 ? ks : [1, 2, 5, 10, 20];
const s = (x) => `${(x / 1000).toFixed(2)} s`;

const tmp = mkdtempSync(join(tmpdir(), "dstack-bench-cloud-failover-"));
// The fake cloud finds its own sources (to build its plugin bundle) from import.meta.url: keep it theirs.
const { installFakeCloud } = await importBundled(join(root, "test/fake-cloud/install.ts"), {
  define: { "import.meta.url": JSON.stringify(pathToFileURL(join(root, "test/fake-cloud/build.ts")).href) },
});
const fakeBin = installFakeCloud(join(tmp, "fake-bin")).binDir;
const repo = join(tmp, "repo");
mkdirSync(repo);
spawnSync("git", ["init", "-q"], { cwd: repo });
writeFileSync(
  join(repo, "fleet.dstack.yml"),
  "type: fleet\nname: bench\nnodes: 1\nbackends: [aws]\nresources:\n  cpu: 2\n  memory: 8GB\nspot_policy: on-demand\n",
);

function user() {
  const home = mkdtempSync(join(tmp, "home-"));
  mkdirSync(join(home, ".dstack"));
  const cloud = join(home, "fake-cloud");
  mkdirSync(cloud);
  const env = {
    ...process.env,
    PATH: [fakeBin, process.env.PATH ?? ""].join(delimiter),
    HOME: home,
    DSTACK_CACHE: process.env.DSTACK_CACHE ?? join(homedir(), ".cache", "dstack"),
    DSTACK_FAKE_CLOUD_DIR: cloud,
    NO_COLOR: "1",
  };
  return { home, cloud, env };
}

function cli(args, env) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: repo, env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`dstack ${args.join(" ")} failed:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** `apply -y`, each output line stamped with the time since start. */
const timedApply = (env) => timedCli(bin, ["apply", "-f", "fleet.dstack.yml", "-y"], { cwd: repo, env });

// The plan as apply will try it (the same for every user: the bundled catalog, no config).
const probe = user();
const planned = JSON.parse(
  spawnSync(process.execPath, [bin, "apply", "-f", "fleet.dstack.yml", "--dry-run", "--json"], {
    cwd: repo,
    env: probe.env,
    encoding: "utf8",
  }).stdout,
).attempts;
if (!Array.isArray(planned) || planned.length <= Math.max(...K))
  throw new Error(`the plan has ${planned?.length ?? 0} attempts; K must stay below that`);

const floor = await engineFloor();
console.log(`engine floor: empty up on the file backend, median of 4 after a warm-up: ${s(floor)}`);
console.log(`plan: ${planned.length} attempts (aws t3.large, zone by zone, region by region)\n`);

const rows = [];
for (const k of K) {
  const { cloud, env } = user();
  const rules = planned.slice(0, k).map((a) => ({
    cloud: "aws",
    error: "capacity",
    region: a.region,
    zone: a.zone,
    instance_type: a.instance_type,
  }));
  writeFileSync(join(cloud, "faults.json"), `${JSON.stringify(rules, null, 2)}\n`);
  const run = await timedApply(env);
  const starts = run.marks.filter(([, l]) => /^Attempt \d+\/\d+: .*\.\.\.$/.test(l)).map(([t]) => t);
  const landed = run.marks.find(([, l]) => /^Attempt \d+\/\d+: .* \.\.\. provisioned$/.test(l))?.[0];
  if (starts.length !== k + 1 || landed === undefined)
    throw new Error(`unexpected attempts for K=${k}:\n${run.marks.map((m) => m[1]).join("\n")}`);
  const failed = starts.slice(1).map((t, i) => t - starts[i]);
  const toCapacity = landed - starts[0];
  const perFailed = stats(failed).median;
  rows.push({ k, toCapacity, perFailed });
  console.log(
    `K=${String(k).padStart(2)}: time to capacity ${s(toCapacity)} (apply end to end ${s(run.total)}); ` +
      `per failed attempt median ${s(perFailed)} (min ${s(Math.min(...failed))}, max ${s(Math.max(...failed))}); ` +
      `the healthy create ${s(landed - starts[k])}`,
  );
  cli(["delete", "bench", "-y"], env);
}

const slope = slopeOf(
  rows,
  (r) => r.k,
  (r) => r.toCapacity,
);
const perFailed = stats(rows.map((r) => r.perFailed)).median;
console.log(
  `\nper failed attempt: ${s(slope)} (slope of time to capacity over K), ${s(perFailed)} (median of medians); ` +
    `engine floor ${s(floor)} per update; ratio ${(perFailed / floor).toFixed(2)}x one update, ` +
    `${(perFailed / (2 * floor)).toFixed(2)}x the failed up and the destroy a failed attempt makes`,
);
