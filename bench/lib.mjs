// Shared helpers for benchmarks: timing statistics and an on-the-fly bundle of a TypeScript entry.
import { build } from "esbuild";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const pick = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return {
    median: pick(0.5),
    p90: pick(0.9),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    n: sorted.length,
  };
}

export const ms = (x) => `${x.toFixed(1)} ms`;

/** Bundle a TypeScript module (as the CLI bundle does) and import it; `options` go to esbuild. */
export async function importBundled(entry, options = {}) {
  const outfile = join(mkdtempSync(join(tmpdir(), "dstack-bench-")), "entry.mjs");
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "warning",
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    ...options,
  });
  return import(pathToFileURL(outfile).href);
}

export function report(name, value, target) {
  const ratio = value / target;
  console.log(
    `${name.padEnd(44)} ${ms(value).padStart(10)}   target ${ms(target).padStart(9)}   ratio ${ratio.toFixed(2)} ${ratio <= 1 ? "OK" : "OVER"}`,
  );
}
