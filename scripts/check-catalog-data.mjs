#!/usr/bin/env node
// Validates the bundled offer catalog (src/catalog/data/{aws,gcp,azure}.json)
// against the format documented in src/catalog/DATA.md.
// Dependency-free. Prints a per-backend summary; exits 1 on any problem.
//
// Usage: node scripts/check-catalog-data.mjs [dataDir]

import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const dataDir = resolve(process.argv[2] ?? join(here, "..", "src", "catalog", "data"));

const BACKENDS = ["aws", "gcp", "azure"];
const GPU_VENDORS = ["nvidia", "amd", "google", "intel", "tenstorrent", "aws"];
// Vendors that only make sense on one backend.
const VENDOR_BACKEND = { google: "gcp", aws: "aws" };

const TOP_KEYS = ["backend", "prices_taken", "currency", "instance_types", "prices"];
const TYPE_KEYS_REQUIRED = ["name", "cpus", "cpu_arch", "memory_gb", "gpu", "disk_gb"];
const TYPE_KEYS_OPTIONAL = ["id", "accelerator", "deprecated", "gpu_fraction"];
const GPU_KEYS = ["vendor", "name", "count", "memory_gb", "compute_capability"];
const PRICE_KEYS_REQUIRED = ["instance_type", "region", "zones", "on_demand", "spot"];
const PRICE_KEYS_OPTIONAL = ["zone_ids", "spot_estimated", "on_demand_estimated"];

// Required coverage: every listed key must exist as an instance type key (id or name),
// and must have at least one price row.
const seq = (prefix, sizes) => sizes.map((s) => `${prefix}${s}`);
const REQUIRED = {
  aws: {
    types: [
      "p5.48xlarge",
      "p5e.48xlarge",
      "p4d.24xlarge",
      "p4de.24xlarge",
      ...seq("p3.", ["2xlarge", "8xlarge", "16xlarge"]),
      "p3dn.24xlarge",
      ...seq("g6.", [
        "xlarge",
        "2xlarge",
        "4xlarge",
        "8xlarge",
        "12xlarge",
        "16xlarge",
        "24xlarge",
        "48xlarge",
      ]),
      ...seq("g6e.", [
        "xlarge",
        "2xlarge",
        "4xlarge",
        "8xlarge",
        "12xlarge",
        "16xlarge",
        "24xlarge",
        "48xlarge",
      ]),
      ...seq("g5.", [
        "xlarge",
        "2xlarge",
        "4xlarge",
        "8xlarge",
        "12xlarge",
        "16xlarge",
        "24xlarge",
        "48xlarge",
      ]),
      ...seq("g4dn.", ["xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "metal"]),
      ...seq("g4ad.", ["xlarge", "2xlarge", "4xlarge", "8xlarge", "16xlarge"]),
      ...seq("trn1.", ["2xlarge", "32xlarge"]),
      ...seq("inf2.", ["xlarge", "8xlarge", "24xlarge", "48xlarge"]),
    ],
    cpuFamilies: ["t3.", "m5.", "c5."],
    regions: ["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-northeast-1"],
  },
  gcp: {
    types: [
      ...seq("a3-highgpu-", ["1g", "2g", "4g", "8g"]),
      "a3-megagpu-8g",
      ...seq("a2-highgpu-", ["1g", "2g", "4g", "8g"]),
      "a2-megagpu-16g",
      ...seq("a2-ultragpu-", ["1g", "2g", "4g", "8g"]),
      ...seq("g2-standard-", ["4", "8", "12", "16", "24", "32", "48", "96"]),
      "v2-8",
      "v3-8",
      "v4-8",
      "v5litepod-1",
      "v5litepod-4",
      "v5litepod-8",
      "v5p-8",
    ],
    cpuFamilies: ["e2-standard-", "n2-standard-"],
    accelerators: ["nvidia-tesla-t4", "nvidia-tesla-v100", "nvidia-tesla-p100", "nvidia-tesla-p4"],
    regions: ["us-central1", "us-east1", "us-west1", "us-west4", "europe-west4", "asia-east1"],
  },
  azure: {
    types: [
      "Standard_ND96isr_H100_v5",
      "Standard_ND96asr_v4",
      "Standard_ND96amsr_A100_v4",
      "Standard_NC24ads_A100_v4",
      "Standard_NC48ads_A100_v4",
      "Standard_NC96ads_A100_v4",
      "Standard_NC40ads_H100_v5",
      "Standard_NC80adis_H100_v5",
      ...seq("Standard_NV", ["6ads_A10_v5", "12ads_A10_v5", "18ads_A10_v5", "36ads_A10_v5", "72ads_A10_v5"]),
      ...seq("Standard_NC", ["4as_T4_v3", "8as_T4_v3", "16as_T4_v3", "64as_T4_v3"]),
      "Standard_NC6s_v3",
      "Standard_NC12s_v3",
      "Standard_NC24s_v3",
      "Standard_D4s_v5",
      "Standard_D8s_v5",
      "Standard_D16s_v5",
    ],
    cpuFamilies: ["Standard_D"],
    regions: ["eastus", "eastus2", "westus2", "westus3", "westeurope", "northeurope", "southcentralus"],
  },
};

const problems = [];
const fail = (backend, msg) => problems.push(`[${backend}] ${msg}`);
const isObj = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const isPosNum = (v) => typeof v === "number" && Number.isFinite(v) && v > 0;
const isPosInt = (v) => Number.isInteger(v) && v > 0;
const isNonEmptyStr = (v) => typeof v === "string" && v.length > 0;

function checkKeys(backend, where, obj, required, optional) {
  for (const k of required) if (!(k in obj)) fail(backend, `${where}: missing key "${k}"`);
  for (const k of Object.keys(obj)) {
    if (!required.includes(k) && !optional.includes(k)) fail(backend, `${where}: unknown key "${k}"`);
  }
}

function checkDate(backend, v) {
  if (typeof v !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) {
    fail(backend, `prices_taken must be a YYYY-MM-DD date, got ${JSON.stringify(v)}`);
  }
}

function checkGpu(backend, where, gpu) {
  if (gpu === null) return;
  if (!isObj(gpu)) return fail(backend, `${where}: gpu must be null or an object`);
  checkKeys(backend, `${where}.gpu`, gpu, GPU_KEYS, []);
  if (!GPU_VENDORS.includes(gpu.vendor))
    fail(backend, `${where}: gpu.vendor "${gpu.vendor}" not in ${GPU_VENDORS.join("|")}`);
  if (VENDOR_BACKEND[gpu.vendor] && VENDOR_BACKEND[gpu.vendor] !== backend) {
    fail(
      backend,
      `${where}: gpu.vendor "${gpu.vendor}" is only valid for backend ${VENDOR_BACKEND[gpu.vendor]}`,
    );
  }
  if (!isNonEmptyStr(gpu.name)) fail(backend, `${where}: gpu.name must be a non-empty string`);
  if (!isPosInt(gpu.count)) fail(backend, `${where}: gpu.count must be a positive integer`);
  if (!isPosNum(gpu.memory_gb)) fail(backend, `${where}: gpu.memory_gb must be > 0`);
  const cc = gpu.compute_capability;
  if (cc !== null && !(typeof cc === "string" && /^\d+\.\d+$/.test(cc))) {
    fail(backend, `${where}: gpu.compute_capability must be "major.minor" or null`);
  }
  if (gpu.vendor === "nvidia" && cc === null)
    fail(backend, `${where}: nvidia GPUs need a compute_capability`);
}

function checkBackend(backend) {
  const file = join(dataDir, `${backend}.json`);
  let doc;
  try {
    doc = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    fail(backend, `cannot read/parse ${file}: ${e.message}`);
    return null;
  }
  if (!isObj(doc)) {
    fail(backend, "top level must be an object");
    return null;
  }
  checkKeys(backend, "top level", doc, TOP_KEYS, []);
  if (doc.backend !== backend)
    fail(backend, `backend must be "${backend}", got ${JSON.stringify(doc.backend)}`);
  checkDate(backend, doc.prices_taken);
  if (doc.currency !== "USD") fail(backend, `currency must be "USD"`);
  if (!Array.isArray(doc.instance_types)) {
    fail(backend, "instance_types must be an array");
    return null;
  }
  if (!Array.isArray(doc.prices)) {
    fail(backend, "prices must be an array");
    return null;
  }

  // ---- instance types ----
  const byKey = new Map();
  const namesWithId = new Set();
  const namesWithoutId = new Set();
  doc.instance_types.forEach((t, i) => {
    const where = `instance_types[${i}]${t && t.name ? ` (${t.id ?? t.name})` : ""}`;
    if (!isObj(t)) return fail(backend, `${where}: must be an object`);
    checkKeys(backend, where, t, TYPE_KEYS_REQUIRED, TYPE_KEYS_OPTIONAL);
    if (!isNonEmptyStr(t.name)) fail(backend, `${where}: name must be a non-empty string`);
    if ("id" in t && !isNonEmptyStr(t.id)) fail(backend, `${where}: id must be a non-empty string`);
    if ("accelerator" in t && !isNonEmptyStr(t.accelerator))
      fail(backend, `${where}: accelerator must be a non-empty string`);
    if ("accelerator" in t && !("id" in t))
      fail(backend, `${where}: entries with "accelerator" need a unique "id"`);
    if ("deprecated" in t && typeof t.deprecated !== "boolean")
      fail(backend, `${where}: deprecated must be boolean`);
    if ("gpu_fraction" in t && !(isPosNum(t.gpu_fraction) && t.gpu_fraction <= 1))
      fail(backend, `${where}: gpu_fraction must be in (0, 1]`);
    if (!isPosInt(t.cpus)) fail(backend, `${where}: cpus must be a positive integer`);
    if (t.cpu_arch !== "x86" && t.cpu_arch !== "arm")
      fail(backend, `${where}: cpu_arch must be "x86" or "arm"`);
    if (!isPosNum(t.memory_gb)) fail(backend, `${where}: memory_gb must be > 0`);
    if (!(typeof t.disk_gb === "number" && Number.isFinite(t.disk_gb) && t.disk_gb >= 0))
      fail(backend, `${where}: disk_gb must be a number >= 0`);
    checkGpu(backend, where, t.gpu);
    const key = t.id ?? t.name;
    if (byKey.has(key)) fail(backend, `${where}: duplicate instance type key "${key}"`);
    byKey.set(key, t);
    if ("id" in t) namesWithId.add(t.name);
    else {
      if (namesWithoutId.has(t.name)) fail(backend, `${where}: duplicate name "${t.name}"`);
      namesWithoutId.add(t.name);
    }
  });
  for (const n of namesWithId) {
    if (namesWithoutId.has(n))
      fail(
        backend,
        `name "${n}" is used both with and without "id"; entries sharing a name must all carry an id`,
      );
  }

  // ---- prices ----
  const seenPair = new Set();
  const pricedKeys = new Set();
  const regions = new Set();
  let withSpot = 0,
    spotEst = 0,
    odEst = 0;
  doc.prices.forEach((p, i) => {
    const where = `prices[${i}]${p && p.instance_type ? ` (${p.instance_type} @ ${p.region})` : ""}`;
    if (!isObj(p)) return fail(backend, `${where}: must be an object`);
    checkKeys(backend, where, p, PRICE_KEYS_REQUIRED, PRICE_KEYS_OPTIONAL);
    if (!byKey.has(p.instance_type)) fail(backend, `${where}: unknown instance_type "${p.instance_type}"`);
    if (!isNonEmptyStr(p.region)) fail(backend, `${where}: region must be a non-empty string`);
    if (!Array.isArray(p.zones) || !p.zones.every(isNonEmptyStr))
      fail(backend, `${where}: zones must be an array of strings`);
    else {
      if (new Set(p.zones).size !== p.zones.length) fail(backend, `${where}: duplicate zones`);
      for (const z of p.zones)
        if (!z.startsWith(`${p.region}-`))
          fail(backend, `${where}: zone "${z}" does not belong to region ${p.region}`);
    }
    if ("zone_ids" in p && !(Array.isArray(p.zone_ids) && p.zone_ids.every(isNonEmptyStr)))
      fail(backend, `${where}: zone_ids must be an array of strings`);
    for (const f of ["spot_estimated", "on_demand_estimated"])
      if (f in p && typeof p[f] !== "boolean") fail(backend, `${where}: ${f} must be boolean`);
    if (!isPosNum(p.on_demand)) fail(backend, `${where}: on_demand must be > 0`);
    if (p.spot !== null) {
      if (!isPosNum(p.spot)) fail(backend, `${where}: spot must be null or > 0`);
      else if (isPosNum(p.on_demand) && !(p.spot < p.on_demand))
        fail(backend, `${where}: spot (${p.spot}) must be < on_demand (${p.on_demand})`);
      withSpot++;
    } else if (p.spot_estimated) fail(backend, `${where}: spot_estimated set but spot is null`);
    if (p.spot_estimated) spotEst++;
    if (p.on_demand_estimated) odEst++;
    const pair = `${p.instance_type}|${p.region}`;
    if (seenPair.has(pair))
      fail(backend, `${where}: duplicate price row for ${p.instance_type} in ${p.region}`);
    seenPair.add(pair);
    pricedKeys.add(p.instance_type);
    regions.add(p.region);
  });
  for (const key of byKey.keys())
    if (!pricedKeys.has(key)) fail(backend, `instance type "${key}" has no price rows`);

  // ---- required coverage ----
  const req = REQUIRED[backend];
  for (const key of req.types) {
    if (!byKey.has(key)) fail(backend, `required instance type "${key}" missing`);
  }
  for (const prefix of req.cpuFamilies) {
    const n = [...byKey.values()].filter((t) => t.name.startsWith(prefix) && t.gpu === null).length;
    if (n < 2) fail(backend, `required CPU-only family "${prefix}*" has ${n} sizes (need >= 2)`);
  }
  for (const a of req.accelerators ?? []) {
    const n = [...byKey.values()].filter((t) => t.accelerator === a).length;
    if (n < 2) fail(backend, `required attachable accelerator "${a}" has ${n} n1 combinations (need >= 2)`);
  }
  for (const r of req.regions) if (!regions.has(r)) fail(backend, `required region "${r}" has no price rows`);

  return {
    backend,
    prices_taken: doc.prices_taken,
    instance_types: byKey.size,
    gpu_types: [...byKey.values()].filter((t) => t.gpu !== null).length,
    price_rows: doc.prices.length,
    regions: regions.size,
    rows_with_spot: withSpot,
    spot_estimated: spotEst,
    on_demand_estimated: odEst,
  };
}

const summaries = BACKENDS.map(checkBackend).filter(Boolean);
console.log(`catalog data: ${dataDir}`);
console.table(summaries);
if (problems.length) {
  console.error(`\n${problems.length} problem(s):`);
  for (const p of problems) console.error(`  - ${p}`);
  process.exit(1);
}
console.log("OK: all catalog files valid");
