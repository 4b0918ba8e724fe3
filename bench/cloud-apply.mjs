// `dstack apply -y -d` to ssh-ready on the fake AWS cloud (instances booted as containers of the local
// instance image, test/fake-cloud/SPEC.md "Booting") against the local backend, in the same run: cold (a
// new instance through Pulumi) with a breakdown from the CLI's own progress lines and cloud-init's
// status.json, and warm (an idle instance reused, no infrastructure change) repeated N times, median and
// p90 against the 1.0 s target (after one untimed reuse that checks no @pulumi module loads on that
// path). Cleans up: the last run's idle_duration is short, the reaper destroys the instances; then checks
// that no instance, container or stack resource is left.
// Needs ./scripts/setup (Pulumi, Docker, the local images). Run:
//   node scripts/build.mjs && node bench/cloud-apply.mjs [warm runs, default 7] [backends, default local,aws]
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { stats, timedCli } from "./lib.mjs";

const WARM_TARGET_MS = 1000;
const runs = Number(process.argv[2] ?? 7);
const backends = (process.argv[3] ?? "local,aws").split(",");
const root = new URL("..", import.meta.url).pathname;
const bin = join(root, "bin", "dstack.js");
const tmp = mkdtempSync(join(tmpdir(), "dstack-bench-cloud-"));
const repo = join(tmp, "repo");
mkdirSync(join(repo, "cfg"), { recursive: true });
writeFileSync(join(repo, "main.py"), "print('hello')\n");
spawnSync("git", ["init", "-q"], { cwd: repo });

/** The environment of `eval "$(scripts/fake-cloud env DIR)"`: fake plugins first on PATH, booting on. */
function fakeCloudEnv(dir) {
  const script = `eval "$(${JSON.stringify(join(root, "scripts", "fake-cloud"))} env ${JSON.stringify(dir)})" && node -e 'process.stdout.write(JSON.stringify(process.env))'`;
  const r = spawnSync("bash", ["-c", script], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`scripts/fake-cloud env failed: ${r.stderr}`);
  const all = JSON.parse(r.stdout);
  return Object.fromEntries(
    Object.entries(all).filter(([k]) => k === "PATH" || k.startsWith("DSTACK_FAKE_CLOUD")),
  );
}

const SETUPS = {
  local: { config: undefined, where: "backends: [local]\n", pool: "local" },
  aws: {
    config: "backends:\n  - type: aws\n",
    where: "backends: [aws]\nregions: [us-east-1]\ninstance_types: [t3.large]\nspot_policy: on-demand\n",
    pool: "aws-us-east-1",
  },
};

function user(backend) {
  const home = join(tmp, `home-${backend}`);
  mkdirSync(join(home, ".dstack"), { recursive: true });
  const setup = SETUPS[backend];
  if (setup.config !== undefined) writeFileSync(join(home, ".dstack", "config.yml"), setup.config);
  const env = {
    ...process.env,
    HOME: home,
    DSTACK_CACHE: process.env.DSTACK_CACHE ?? join(homedir(), ".cache", "dstack"),
    // The reaper at its default interval (15 s), as users have it: at 1 s its SSH checks of the instance
    // would compete with every warm apply measured here.
    DSTACK_REAPER_INTERVAL_MS: undefined,
    NO_COLOR: "1",
    ...(backend === "local" ? {} : fakeCloudEnv(join(home, "fake-cloud"))),
  };
  return { backend, home, env, setup, store: join(home, "fake-cloud") };
}

const config = (u, name, idle) => {
  const file = join(repo, "cfg", `${name}.dstack.yml`);
  writeFileSync(
    file,
    `type: dev-environment\nname: ${name}\nide: vscode\npython: "3.11"\nidle_duration: ${idle}\n${u.setup.where}`,
  );
  return file;
};
const timedApply = (u, file) => timedCli(bin, ["apply", "-f", file, "-y", "-d"], { cwd: repo, env: u.env });
const cli = (u, ...args) =>
  spawnSync(process.execPath, [bin, ...args], { cwd: repo, env: u.env, encoding: "utf8" });
const at = (marks, re) => marks.find(([, line]) => re.test(line))?.[0];
const sec = (x) => (x === undefined || Number.isNaN(x) ? "n/a" : `${(x / 1000).toFixed(2)} s`);
const sleep = (t) => new Promise((r) => setTimeout(r, t));
const poolInstances = (u) => {
  const file = join(u.home, ".dstack", "pools", `${u.setup.pool}.json`);
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")).instances : [];
};
const docker = (...args) => spawnSync("docker", args, { encoding: "utf8" }).stdout.trim();

/** The Docker container that is the instance: the local backend's, or the one the fake cloud booted. */
function instanceContainer(u, instance) {
  if (u.backend === "local") return `dstack-${instance}`;
  return docker(
    "ps",
    "-q",
    "--filter",
    `label=dstack.fake-cloud.cloud=${u.backend}`,
    "--filter",
    "label=dstack.fake-cloud",
  )
    .split("\n")
    .find((id) => docker("inspect", "-f", "{{range .Mounts}}{{.Source}} {{end}}", id).includes(u.store));
}

function cloudInitSeconds(container) {
  const out = docker("exec", container, "cat", "/var/lib/cloud/data/status.json");
  if (out === "") return NaN;
  const status = JSON.parse(out).v1;
  return ["init-local", "init", "modules-config", "modules-final"].reduce(
    (sum, s) => sum + (status[s].finished - status[s].start) * 1000,
    0,
  );
}

async function stopAndWait(u, name) {
  cli(u, "stop", name, "-y");
  let last = "";
  for (let i = 0; i < 60; i++) {
    const ps = cli(u, "ps", "-a", "--json");
    last = ps.stderr;
    // A `ps` that fails (it has, once, on a loaded machine) is asked again.
    const runsNow = ps.status === 0 ? JSON.parse(ps.stdout).runs : [];
    if (runsNow.find((r) => r.name === name && r.status !== "running") !== undefined) return;
    await sleep(250);
  }
  throw new Error(`${u.backend}: run ${name} did not stop ${last}`);
}

async function cold(u) {
  const r = await timedApply(u, config(u, `cold-${u.backend}`, "10m"));
  const provision = at(r.marks, /^Provisioning instance/);
  const launching = at(r.marks, /^Launching/);
  const uploading = at(r.marks, /^Uploading/);
  const running = at(r.marks, /: running$/);
  const instance = poolInstances(u)[0]?.name;
  const container = instanceContainer(u, instance);
  return {
    total: r.total,
    plan: at(r.marks, /to create/),
    engine: launching - provision,
    cloudInit: container === undefined ? NaN : cloudInitSeconds(container),
    submit: running - launching,
    upload: running - uploading,
    ready: r.total - running,
    instance,
  };
}

/** One untimed reuse that reports every module it resolves: no @pulumi package may be among them. */
async function tracedReuse(u, previous) {
  await stopAndWait(u, previous);
  const name = `warm-${u.backend}-traced`;
  const register = new URL("./trace-loads-register.mjs", import.meta.url).pathname;
  const args = ["--import", register, bin, "apply", "-f", config(u, name, "10m"), "-y", "-d"];
  const r = spawnSync(process.execPath, args, { cwd: repo, env: u.env, encoding: "utf8" });
  if (r.status !== 0 || !/Reusing idle instance/.test(r.stderr))
    throw new Error(`${u.backend}: the traced reuse failed:\n${r.stderr}`);
  const pulumi = r.stderr.split("\n").filter((l) => l.startsWith("LOAD ") && l.includes("@pulumi"));
  return { name, pulumi };
}

async function warm(u, previous) {
  const samples = [];
  const traced = await tracedReuse(u, previous);
  let prev = traced.name;
  for (let i = 0; i < runs; i++) {
    await stopAndWait(u, prev);
    const name = `warm-${u.backend}-${i}`;
    // The last run leaves the instance to the reaper soon after it stops.
    const r = await timedApply(u, config(u, name, i === runs - 1 ? "1s" : "10m"));
    if (!r.marks.some(([, l]) => /Reusing idle instance/.test(l)))
      throw new Error(`${u.backend}: warm apply ${i} did not reuse the idle instance`);
    samples.push(r.total);
    prev = name;
  }
  await stopAndWait(u, prev);
  return { ...stats(samples), pulumi: traced.pulumi };
}

const users = backends.map(user);
const results = [];
for (const u of users) {
  const c = await cold(u);
  const w = await warm(u, `cold-${u.backend}`);
  results.push({ u, c, w });
}

console.log(`cold apply -y -d to ssh-ready           ${backends.map((b) => b.padStart(10)).join("")}`);
const row = (label, f) =>
  console.log(`  ${label.padEnd(38)}${results.map((r) => sec(f(r.c)).padStart(10)).join("")}`);
row("total", (c) => c.total);
row("plan (offers, Pulumi preview)", (c) => c.plan);
row("engine up incl. boot + cloud-init", (c) => c.engine);
row("  of which cloud-init stages", (c) => c.cloudInit);
row("submit + repo upload (to running)", (c) => c.submit);
row("  of which upload", (c) => c.upload);
row("running to ssh-ready", (c) => c.ready);
console.log(`warm apply -y -d to ssh-ready (idle instance reused), ${runs} runs each:`);
for (const { u, w } of results) {
  const ratio = w.median / WARM_TARGET_MS;
  console.log(
    `  ${u.backend.padEnd(6)} median ${sec(w.median)}  p90 ${sec(w.p90)}  min ${sec(w.min)}  max ${sec(w.max)}   target ${sec(WARM_TARGET_MS)}   ratio ${ratio.toFixed(2)} ${ratio <= 1 ? "OK" : "OVER"}`,
  );
  console.log(`         @pulumi modules resolved on the reuse path: ${w.pulumi.length}`);
  if (w.pulumi.length > 0) process.exitCode = 1;
}

// Clean-up: the reaper destroys each instance once the last run's 1 s idle_duration is over.
for (const u of users) {
  for (let i = 0; i < 180 && poolInstances(u).length > 0; i++) await sleep(1000);
}
const left = users.flatMap((u) => {
  const instances = poolInstances(u).map((i) => `${u.backend} pool instance ${i.name}`);
  const containers =
    u.backend === "local"
      ? results
          .filter((r) => r.u === u)
          .flatMap((r) =>
            docker("ps", "-aq", "--filter", `name=^dstack-${r.c.instance}$`) ? [r.c.instance] : [],
          )
      : docker("ps", "-aq", "--filter", `label=dstack.fake-cloud.cloud=${u.backend}`)
          .split("\n")
          .filter(
            (id) =>
              id !== "" &&
              docker("inspect", "-f", "{{range .Mounts}}{{.Source}} {{end}}", id).includes(u.store),
          );
  const stacksDir = join(u.home, ".dstack", "state", ".pulumi", "stacks");
  const resources = existsSync(stacksDir)
    ? readdirSync(stacksDir).flatMap((p) =>
        readdirSync(join(stacksDir, p))
          .filter((f) => f.endsWith(".json"))
          .flatMap((f) => {
            const latest = JSON.parse(readFileSync(join(stacksDir, p, f), "utf8")).checkpoint.latest;
            return (latest?.resources ?? []).filter((r) => !r.type.startsWith("pulumi:")).map((r) => r.urn);
          }),
      )
    : [];
  return [...instances, ...containers.map((c) => `${u.backend} container ${c}`), ...resources];
});
if (left.length > 0) {
  console.log(`NOT cleaned up:\n  ${left.join("\n  ")}`);
  process.exitCode = 1;
} else console.log("cleaned up: the reaper destroyed every instance; no container or stack resource left");
