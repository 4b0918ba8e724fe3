// Shared helpers for benchmarks: timing statistics and an on-the-fly bundle of a TypeScript entry.
import { spawn } from "node:child_process";
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
  return import(pathToFileURL(await bundled(entry, options)).href);
}

/** Bundle a TypeScript module into a temporary .mjs file (to import, or to run as its own process). */
export async function bundled(entry, options = {}) {
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
  return outfile;
}

export function report(name, value, target) {
  const ratio = value / target;
  console.log(
    `${name.padEnd(44)} ${ms(value).padStart(10)}   target ${ms(target).padStart(9)}   ratio ${ratio.toFixed(2)} ${ratio <= 1 ? "OK" : "OVER"}`,
  );
}

/**
 * Runs `node <bin> ...args`, stamping each output line (stdout and stderr) with the milliseconds since
 * start; resolves with the total and the marks, rejects with the output on a non-zero exit.
 */
export function timedCli(bin, args, options) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const marks = [];
    const child = spawn(process.execPath, [bin, ...args], options);
    let buffer = "";
    const onData = (chunk) => {
      buffer += chunk.toString();
      let nl;
      while ((nl = buffer.indexOf("\n")) !== -1) {
        marks.push([performance.now() - start, buffer.slice(0, nl)]);
        buffer = buffer.slice(nl + 1);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("close", (code) =>
      code === 0
        ? resolve({ total: performance.now() - start, marks })
        : reject(new Error(marks.map((m) => m[1]).join("\n"))),
    );
  });
}

/**
 * Least-squares slope of `y` over `x` across `rows`: in the failover benchmarks, the marginal cost of
 * one more failed attempt (time to capacity over K). NaN with fewer than two rows.
 */
export function slopeOf(rows, x, y) {
  const n = rows.length;
  if (n < 2) return NaN;
  const mx = rows.reduce((acc, r) => acc + x(r), 0) / n;
  const my = rows.reduce((acc, r) => acc + y(r), 0) / n;
  return (
    rows.reduce((acc, r) => acc + (x(r) - mx) * (y(r) - my), 0) /
    rows.reduce((acc, r) => acc + (x(r) - mx) ** 2, 0)
  );
}
