// Benchmark: one offer query against the real bundled catalog, and against synthetic catalogs of 10k,
// 50k and 100k offers (growth should be linear). Target: <= 5 ms per query on the real catalog.
//
// Run: node bench/catalog-query.mjs
// It bundles the catalog and compiler sources (bench/catalog-entry.ts) with esbuild into a temporary
// folder first, as the CLI bundle does; no dist/ needed.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { importBundled, report } from "./lib.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const lib = await importBundled(join(root, "bench", "catalog-entry.ts"));

const dataDir = join(root, "src", "catalog", "data");
const spec = lib.compile({
  file: "bench",
  text: 'type: task\ncommands: [":"]\nimage: scratch\nspot_policy: auto\n',
  overrides: { gpu: "A100" },
}).spec;
const req = lib.requirementsOf(spec);

/** Median milliseconds per call of fn, over enough calls to last ~minMs. */
function perCall(fn, minMs = 300) {
  for (let i = 0; i < 5; i++) fn();
  const samples = [];
  const start = performance.now();
  while (performance.now() - start < minMs || samples.length < 10) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const t0 = performance.now();
const real = lib.loadCatalog(undefined, dataDir).flatMap(lib.expandCatalog);
const loadMs = performance.now() - t0;
let matched = 0;
const realMs = perCall(() => {
  matched = lib.matchOffers(real, req).length;
});
const coldMs = perCall(() =>
  lib.matchOffers(lib.loadCatalog(undefined, dataDir).flatMap(lib.expandCatalog), req),
);

// Synthetic catalogs: the real offers repeated with shifted prices and renamed regions, so the share of
// matches stays that of the real catalog (a fair per-offer cost) and the sort has distinct keys.
let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
function synthetic(size) {
  const offers = [];
  for (let i = 0; offers.length < size; i++) {
    const o = real[i % real.length];
    offers.push({
      ...o,
      region: `${o.region}-${Math.floor(i / real.length)}`,
      price: o.price * (0.5 + random()),
    });
  }
  return offers;
}

console.log(`catalog query --gpu A100 (spot auto): ${real.length} real offers, ${matched} match`);
console.log(`  load + expand the bundled data once: ${loadMs.toFixed(2)} ms`);
console.log(`  load + expand + query, per call:     ${coldMs.toFixed(3)} ms`);
report("query, real catalog", realMs, 5);
console.log(`  query, real catalog, precisely:      ${(realMs * 1000).toFixed(0)} µs`);
const rows = [];
for (const size of [10_000, 50_000, 100_000]) {
  const offers = synthetic(size);
  const ms = perCall(() => lib.matchOffers(offers, req), 1000);
  // The scan alone (no sort): the part that must grow linearly.
  const scan = perCall(() => {
    const q = lib.prepareQuery(req);
    for (const o of offers) lib.matchOffer(o, q);
  }, 1000);
  rows.push({ size, ms, scan });
  const perOffer = ((ms / size) * 1e6).toFixed(0);
  console.log(
    `  query, synthetic ${String(size).padStart(7)} offers: ${ms.toFixed(2)} ms ` +
      `(${perOffer} ns per offer; the scan alone ${scan.toFixed(2)} ms)`,
  );
}
const [first, , last] = rows;
const nlogn = (10 * Math.log(last.size)) / Math.log(first.size);
console.log(
  `  growth 10k -> 100k: x${(last.ms / first.ms).toFixed(1)} for x10 offers, scan alone ` +
    `x${(last.scan / first.scan).toFixed(1)} (linear: x10; n log n, for the sort of the matches: x${nlogn.toFixed(1)})`,
);
