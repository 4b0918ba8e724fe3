// The engine's floor for one update: an empty inline program on the file backend, through dstack's own
// runner (src/engine/stack-runner.ts, bundled on the fly). Shared by the engine-overhead benchmark
// and the failover benchmarks, which compare a failed attempt's cost with it.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { stats } from "./lib.mjs";

/** dstack's engine modules, and a target for an empty program in a fresh file backend. */
export async function emptyEngineTarget() {
  // Inside the package, so the bundle resolves @pulumi/pulumi from node_modules.
  const outfile = new URL("../node_modules/.cache/dstack-bench/engine.mjs", import.meta.url).pathname;
  await build({
    stdin: {
      contents:
        'export * from "./src/engine/stack-runner.ts"; export * from "./src/engine/state-backend.ts"; export * from "./src/engine/pulumi-cli.ts";',
      resolveDir: new URL("..", import.meta.url).pathname,
      loader: "ts",
    },
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    external: ["@pulumi/*"],
    logLevel: "warning",
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
  });
  const lib = await import(pathToFileURL(outfile).href);
  const cli = lib.findPulumi();
  if (cli === undefined) throw new Error("run ./scripts/ensure-pulumi");
  const home = mkdtempSync(join(tmpdir(), "dstack-bench-home-"));
  const target = {
    project: "bench",
    stack: "empty",
    program: async () => ({}),
    backend: lib.resolveStateBackend({ home, env: {} }),
    pulumiBinDir: cli.binDir,
  };
  return { lib, target };
}

/** Milliseconds: the median `up` of an empty program, of 4 after a warm-up. */
export async function engineFloor() {
  const { lib, target } = await emptyEngineTarget();
  const ups = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await lib.up(target);
    ups.push(performance.now() - t);
  }
  return stats(ups.slice(1)).median;
}
