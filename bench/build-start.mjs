// Start of a dev environment whose `build` does a few local things (a virtualenv, a file of data, a
// marker; no network here), to ssh-ready with `apply -y -d`, on a reused idle instance so that only the
// image differs: cold (`--force-build`: the build runs first), warm (the prebuilt image is in the
// registry: the plan finds it, the run starts from it), and the same configuration without `build`.
// Target: warm within 0.5 s of the no-build start. Needs ./scripts/setup. Run: node bench/build-start.mjs [N]
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { stats, timedCli } from "./lib.mjs";

const N = Number(process.argv[2] ?? 3);
const bin = new URL("../bin/dstack.js", import.meta.url).pathname;
const home = mkdtempSync(join(tmpdir(), "dstack-bench-home-"));
const repo = mkdtempSync(join(tmpdir(), "dstack-bench-repo-"));
const env = {
  ...process.env,
  HOME: home,
  DSTACK_CACHE: process.env.DSTACK_CACHE ?? join(homedir(), ".cache", "dstack"),
  DSTACK_REAPER_INTERVAL_MS: "1000",
  NO_COLOR: "1",
};
const id = `${process.pid}${Date.now().toString(36)}`;
const BUILD = [
  "python3 -m venv /opt/venv",
  "/opt/venv/bin/python -m compileall -q /opt/venv >/dev/null",
  "head -c 20000000 /dev/urandom > /opt/data.bin",
  `echo built-${id} > /opt/built`,
];
const config = (name, build) => {
  const lines = [`type: dev-environment`, `name: ${name}`, `python: "3.11"`, "idle_duration: 10m"];
  if (build) lines.push("build:", ...BUILD.map((c) => `  - ${JSON.stringify(c)}`));
  writeFileSync(join(repo, `${name}.dstack.yml`), `${lines.join("\n")}\n`);
  return `${name}.dstack.yml`;
};
const plain = config("bench-plain", false);
const built = config("bench-built", true);

const cli = (...args) => spawnSync(process.execPath, [bin, ...args], { cwd: repo, env, encoding: "utf8" });
const apply = (file, ...flags) =>
  timedCli(bin, ["apply", "-f", file, "-y", "-d", ...flags], { cwd: repo, env });
const s = (x) => `${(x / 1000).toFixed(2)} s`;

/** Stops the run and waits until its instance is idle again (the next apply reuses it). */
async function stop(name) {
  cli("stop", name, "-y");
  for (let i = 0; i < 60; i++) {
    const runs = JSON.parse(cli("ps", "-a", "--json").stdout).runs ?? [];
    if (!runs.some((r) => r.name === name && ["running", "pending", "pulling"].includes(r.status))) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} did not stop`);
}

async function timed(file, name, ...flags) {
  const run = await apply(file, ...flags);
  reused += run.marks.some(([, l]) => /Reusing idle instance/.test(l)) ? 1 : 0;
  await stop(name);
  return run;
}

let reused = 0;
try {
  // An idle instance for all that follows (its creation is not what is measured).
  await timed(plain, "bench-plain");
  reused = 0;
  const cold = [];
  const warm = [];
  const none = [];
  for (let i = 0; i < N; i++) {
    const c = await timed(built, "bench-built", "--force-build");
    const buildMark = c.marks.find(([, l]) => /^Built /.test(l));
    cold.push({
      total: c.total,
      build: buildMark === undefined ? NaN : Number(/in ([\d.]+)s/.exec(buildMark[1])?.[1]) * 1000,
    });
    warm.push((await timed(built, "bench-built")).total);
    none.push((await timed(plain, "bench-plain")).total);
  }
  const median = (xs) => stats(xs).median;
  const coldMedian = median(cold.map((c) => c.total));
  const buildMedian = median(cold.map((c) => c.build));
  const warmMedian = median(warm);
  const noneMedian = median(none);
  const diff = warmMedian - noneMedian;
  console.log(`dev environment start, apply -y -d to ssh-ready on a reused idle instance (median of ${N}):`);
  console.log(
    `  cold, --force-build (build, push, then run):  ${s(coldMedian)}  (the build itself ${s(buildMedian)})`,
  );
  console.log(`  warm, prebuilt image in the registry:         ${s(warmMedian)}`);
  console.log(`  same configuration without build:            ${s(noneMedian)}`);
  console.log(
    `  warm - no build: ${diff >= 0 ? "+" : ""}${(diff / 1000).toFixed(2)} s   target <= +0.50 s   ${diff <= 500 ? "OK" : "OVER"}`,
  );
  console.log(`  reused the idle instance: ${reused} of ${3 * N} starts`);
  console.log(`  samples warm: ${warm.map(s).join(", ")}; no build: ${none.map(s).join(", ")}`);
} finally {
  // Leave nothing behind: the instances through their stacks, the images of this run's key.
  let pool = { instances: [] };
  try {
    pool = JSON.parse(readFileSync(join(home, ".dstack", "pools", "local.json"), "utf8"));
  } catch {
    // no pool file: nothing was provisioned
  }
  for (const { name } of pool.instances) cli("pool", "remove", name, "--force", "-y");
  const listed = JSON.parse(cli("build", "--list", "--json").stdout || '{"images":[]}').images;
  for (const image of listed.filter((i) => i.repository === "dstack-prebuilt/bench-built"))
    cli("build", "--delete", image.image, "-y");
  const ids = spawnSync("docker", ["images", "-q", "127.0.0.1:5000/dstack-prebuilt/bench-built"], {
    encoding: "utf8",
  })
    .stdout.split("\n")
    .filter(Boolean);
  for (const i of new Set(ids)) spawnSync("docker", ["rmi", "-f", i]);
}
