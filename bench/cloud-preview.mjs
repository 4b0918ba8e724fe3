// Preview time of cloud pools of 1, 10 and 100 instances through the real Pulumi engine, with the fake
// cloud's provider plugins (test/fake-cloud) in place of aws, gcp and azure-native: how the cost grows
// with the pool's size, against the engine's floor (an empty program's preview).
// Needs ./scripts/setup. Run: node bench/cloud-preview.mjs [runs]
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { ms, stats } from "./lib.mjs";

const runs = Number(process.argv[2] ?? 2);
const root = new URL("..", import.meta.url).pathname;
// Next to the fake cloud's sources (its installer finds them from its own module URL) and inside the
// package, so @pulumi/* resolve from node_modules (one runtime instance). Removed once imported.
const outfile = join(root, "test/fake-cloud", `.bench-${process.pid}.mjs`);
await build({
  entryPoints: [join(root, "bench/cloud-preview-entry.ts")],
  outfile,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: ["@pulumi/*", "esbuild"],
  logLevel: "warning",
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
});
const lib = await import(pathToFileURL(outfile).href).finally(() => rmSync(outfile, { force: true }));
const cli = lib.findPulumi();
if (cli === undefined) throw new Error("run ./scripts/ensure-pulumi");
const tmp = mkdtempSync(join(tmpdir(), "dstack-bench-cloud-"));
const fakeBin = lib.installFakeCloud(join(tmp, "bin")).binDir;
const env = {
  PATH: [fakeBin, lib.pulumiEnv(cli.binDir).PATH].join(delimiter),
  ...lib.fakeCloudEnv(join(tmp, "cloud")),
};
const backend = lib.resolveStateBackend({ home: tmp, env: { PULUMI_CONFIG_PASSPHRASE: "bench" } });
const agentSource = readFileSync(join(root, "dist/agent/dstack-agent.js"), "utf8");
const key = readFileSync(join(root, "examples/stacks/team.pub"), "utf8").trim();

function pool(example, size) {
  const spec = JSON.parse(readFileSync(join(root, "examples/stacks", example, "dstack-pool.json"), "utf8"));
  const [first] = spec.instances;
  const instances = Array.from({ length: size }, (_, i) => ({ ...first, name: `${spec.pool}-${i}` }));
  return { ...spec, network: { project: "bench" }, ssh_public_keys: [key], instances };
}

async function timePreview(stack, program) {
  const samples = [];
  let steps = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const plan = await lib.preview({
      project: "bench",
      stack,
      program,
      backend,
      pulumiBinDir: cli.binDir,
      env,
    });
    samples.push(performance.now() - start);
    steps = plan.steps.length;
  }
  return { ...stats(samples), steps };
}

const floor = await timePreview("empty", async () => ({}));
console.log(`runs: ${runs} each; median`);
console.log(`empty program preview (engine floor)      ${ms(floor.median).padStart(10)}`);
for (const [cloud, example] of [
  ["aws", "aws-train"],
  ["gcp", "gcp-train"],
  ["azure", "azure-train"],
]) {
  let one;
  for (const size of [1, 10, 100]) {
    const t = await timePreview(`${cloud}-${size}`, () =>
      lib.poolStack(pool(example, size), { agentSource }),
    );
    one ??= t.median;
    const perInstance = size === 1 ? "" : `, ${ms((t.median - one) / (size - 1))} per extra instance`;
    console.log(
      `${cloud.padEnd(6)} pool of ${String(size).padStart(3)}: ${String(t.steps).padStart(4)} creates ${ms(t.median).padStart(10)}  (x${(t.median / floor.median).toFixed(1)} the floor${perInstance})`,
    );
  }
}
