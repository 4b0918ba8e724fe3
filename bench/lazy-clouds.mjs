// What the lazy loading of the cloud packages buys: `dstack apply --dry-run` of a local configuration
// must resolve no @pulumi/aws, @pulumi/gcp or @pulumi/azure-native module (checked with module hooks),
// and each cloud's program-building cost (importing its package and registering a pool under
// pulumi.runtime.setMocks) is measured against a process that loads only @pulumi/pulumi.
// Needs ./scripts/setup (Docker, Pulumi, images). Run: node bench/lazy-clouds.mjs [runs]
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ms, stats } from "./lib.mjs";

const runs = Number(process.argv[2] ?? 5);
const root = new URL("..", import.meta.url).pathname;
const bin = join(root, "bin/dstack.js");
const CLOUD = /@pulumi\/(aws|gcp|azure-native)/;

function timeProcess(args, env = process.env) {
  const samples = [];
  let last;
  for (let i = 0; i < runs + 1; i++) {
    const start = performance.now();
    last = spawnSync(process.execPath, args, { encoding: "utf8", env, cwd: root });
    if (last.status !== 0) throw new Error(`${args.join(" ")} failed:\n${last.stderr}`);
    if (i > 0) samples.push(performance.now() - start);
  }
  return { ...stats(samples), last };
}

// 1. apply --dry-run on the local backend: time, and which cloud modules it resolved (none allowed).
const home = mkdtempSync(join(tmpdir(), "dstack-bench-lazy-"));
// The Pulumi CLI and images stay in the real cache; only dstack's own state goes to the temp HOME.
const env = {
  ...process.env,
  HOME: home,
  NO_COLOR: "1",
  DSTACK_CACHE: process.env.DSTACK_CACHE ?? join(process.env.HOME ?? "", ".cache", "dstack"),
};
const register = join(root, "bench/trace-loads-register.mjs");
const dry = timeProcess([bin, "apply", "--dry-run", "-y", "-f", "examples/.dstack.yml"], env);
const traced = spawnSync(
  process.execPath,
  ["--import", register, bin, "apply", "--dry-run", "-y", "-f", "examples/.dstack.yml"],
  { encoding: "utf8", env, cwd: root },
);
const loads = traced.stderr.split("\n").filter((l) => l.startsWith("LOAD "));
const cloudLoads = loads.filter((l) => CLOUD.test(l));
console.log(`dstack apply --dry-run (local, Pulumi preview included): ${ms(dry.median)} median of ${runs}`);
console.log(`  modules resolved: ${loads.length}; cloud packages among them: ${cloudLoads.length}`);
if (cloudLoads.length > 0) {
  console.log(cloudLoads.slice(0, 5).join("\n"));
  process.exitCode = 1;
}

// 2. Building each cloud's pool program under mocks, in a fresh process (import + registration).
const spec = (backend) =>
  JSON.parse(readFileSync(join(root, `examples/stacks/${backend}/dstack-pool.json`), "utf8"));
const script = (pool) => `
  const pulumi = await import("@pulumi/pulumi");
  await pulumi.runtime.setMocks({
    newResource: (a) => ({ id: a.name + "-id", state: a.inputs }),
    call: (a) => ({ id: "x", ids: ["subnet-1"], availabilityZone: "us-east-1a" }),
  }, "bench", "bench", false);
  ${
    pool === null
      ? ""
      : `const { poolStack } = await import(${JSON.stringify(join(root, "dist/stacks.js"))});
  await poolStack({ ...${JSON.stringify(pool)}, ssh_public_keys: [${JSON.stringify(readFileSync(join(root, "examples/stacks/team.pub"), "utf8").trim())}] });`
  }
`;
const floor = timeProcess(["--input-type=module", "-e", script(null)]);
console.log(`\nnode + @pulumi/pulumi with mocks (floor): ${ms(floor.median)}`);
for (const [name, dir] of [
  ["aws", "aws-train"],
  ["gcp", "gcp-train"],
  ["azure", "azure-train"],
]) {
  const t = timeProcess(["--input-type=module", "-e", script(spec(dir))]);
  console.log(
    `${name.padEnd(6)} pool program built: ${ms(t.median).padStart(10)}  (+${ms(t.median - floor.median)} over the floor)`,
  );
}

// 3. For scale: what loading each cloud package's root index would cost (the stacks use deep imports).
for (const pkg of ["@pulumi/aws", "@pulumi/gcp", "@pulumi/azure-native"]) {
  const t = timeProcess([
    "--input-type=module",
    "-e",
    `await import("@pulumi/pulumi"); await import("${pkg}");`,
  ]);
  console.log(`${pkg.padEnd(21)} root import: ${ms(t.median).padStart(10)}`);
}
