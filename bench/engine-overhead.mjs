// The Pulumi engine's own floor on this machine: preview and up of an empty inline program on the file
// backend, through the same runner dstack uses. Needs ./scripts/setup. Run: node bench/engine-overhead.mjs
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { pathToFileURL } from "node:url";
import { ms, stats } from "./lib.mjs";

// Inside the package, so the bundle resolves @pulumi/pulumi from node_modules.
const outfile = new URL("../node_modules/.cache/dstack-bench/engine.mjs", import.meta.url).pathname;
await build({
  stdin: {
    contents:
      'export * from "./src/engine/stack-runner.ts"; export * from "./src/engine/state-backend.ts"; export * from "./src/engine/pulumi-cli.ts";',
    resolveDir: process.cwd(),
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
const previews = [];
const ups = [];
for (let i = 0; i < 6; i++) {
  let t = performance.now();
  await lib.preview(target);
  previews.push(performance.now() - t);
  t = performance.now();
  await lib.up(target);
  ups.push(performance.now() - t);
}
console.log(
  `empty preview: median ${ms(stats(previews.slice(1)).median)}; empty up: median ${ms(stats(ups.slice(1)).median)} (file backend, 5 runs after a warm-up)`,
);
