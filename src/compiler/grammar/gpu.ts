// The `resources.gpu` grammar: a count, a string of `:`-separated tokens in any order
// (vendor, comma-separated names, memory or memory range, count or count range), or an object.
import { scalarText } from "../diagnostics.js";
import { closest } from "../suggest.js";
import {
  ARM_HOSTED_GPUS,
  KNOWN_GPU_NAMES,
  lookupGpu,
  parseVendor,
  VENDOR_WORDS,
  type GpuVendor,
} from "./gpu-names.js";
import { parseRange, type Range } from "./range.js";
import { fail, ok, type Parsed } from "./result.js";
import { parseCount, parseSize } from "./units.js";

export interface GpuSpec {
  vendor: GpuVendor | null;
  name: string[] | null;
  count: Range;
  memory: Range | null;
  total_memory: Range | null;
  compute_capability: string | null;
}

export interface GpuParse {
  /** null when the configuration asks for no GPU (`gpu: 0`). */
  spec: GpuSpec | null;
  /** Non-fatal remarks (unknown names close to known ones). */
  warnings: string[];
}

const GPU_EXAMPLE = "A100, A100:80GB:2, 40GB..80GB:4, A10G,A100, nvidia, v2-8 or MI300X:amd";
const DEFAULT_COUNT: Range = { min: 1, max: null };

const COUNT_TOKEN = /^(\d+|\d*\.\.\d*)$/;
const SIZE_TOKEN = /^(\d+(\.\d+)?\s*(mb|gb|tb))?(\.\.)?(\d+(\.\d+)?\s*(mb|gb|tb))?$/i;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

interface Parts {
  vendor?: GpuVendor;
  names?: string[];
  count?: Range;
  memory?: Range;
  total_memory?: Range;
  compute_capability?: string;
}

export function parseGpu(raw: unknown): Parsed<GpuParse> {
  if (typeof raw === "number") {
    const count = parseRange(raw, parseCount, "a GPU count", "2");
    if (!count.ok) return count;
    return finish({ count: count.value });
  }
  if (typeof raw === "string") return parseGpuString(raw);
  if (typeof raw === "object" && raw !== null && !Array.isArray(raw))
    return parseGpuObject(raw as Record<string, unknown>);
  return fail("expected a GPU count, a GPU string or an object", `e.g. ${GPU_EXAMPLE}`);
}

function parseGpuString(raw: string): Parsed<GpuParse> {
  const parts: Parts = {};
  const tokens = raw.split(":").map((t) => t.trim());
  for (const token of tokens) {
    if (token === "")
      return fail(`"${raw}" has an empty token`, `separate tokens with single colons, e.g. ${GPU_EXAMPLE}`);
    const problem = classify(token, parts, raw);
    if (problem !== undefined) return problem;
  }
  return finish(parts);
}

function classify(token: string, parts: Parts, raw: string): Parsed<never> | undefined {
  const vendor = parseVendor(token);
  if (vendor !== undefined) {
    if (parts.vendor !== undefined) return fail(`"${raw}" names the vendor twice`);
    parts.vendor = vendor;
    return undefined;
  }
  if (COUNT_TOKEN.test(token) && token !== "..") {
    if (parts.count !== undefined) return fail(`"${raw}" gives the GPU count twice`);
    const count = parseRange(token, parseCount, "a GPU count", "2 or 1..8");
    if (!count.ok) return count;
    parts.count = count.value;
    return undefined;
  }
  if (SIZE_TOKEN.test(token) && /\d/.test(token)) {
    if (parts.memory !== undefined) return fail(`"${raw}" gives the GPU memory twice`);
    const memory = parseRange(token, parseSize, "a GPU memory size", "80GB or 40GB..80GB");
    if (!memory.ok) return memory;
    parts.memory = memory.value;
    return undefined;
  }
  if (/^[\d.]/.test(token)) {
    return fail(
      `"${token}" in "${raw}" is neither a GPU count nor a memory size`,
      "counts look like 2 or 1..8, memory like 80GB or 40GB..80GB",
    );
  }
  if (parts.names !== undefined) {
    return fail(
      `"${raw}" names GPUs in two tokens ("${parts.names.join(",")}" and "${token}")`,
      "list alternatives in one token: A10G,A100",
    );
  }
  const names = parseNames(token.split(","));
  if (!names.ok) return names;
  parts.names = names.value;
  return undefined;
}

function parseNames(list: readonly unknown[]): Parsed<string[]> {
  const names: string[] = [];
  for (const item of list) {
    const name = typeof item === "number" ? String(item) : item;
    if (typeof name !== "string" || !NAME.test(name.trim())) {
      const near =
        typeof name === "string" ? closest(name, [...KNOWN_GPU_NAMES, ...VENDOR_WORDS]) : undefined;
      return fail(
        `${JSON.stringify(item)} is not a GPU name, vendor, memory size or count`,
        near === undefined ? `e.g. ${GPU_EXAMPLE}` : `did you mean "${near}"?`,
      );
    }
    const trimmed = name.trim();
    names.push(lookupGpu(trimmed)?.name ?? trimmed);
  }
  return ok([...new Set(names)]);
}

const OBJECT_KEYS = ["vendor", "name", "count", "memory", "total_memory", "compute_capability"];

function parseGpuObject(raw: Record<string, unknown>): Parsed<GpuParse> {
  const unknownKey = Object.keys(raw).find((k) => !OBJECT_KEYS.includes(k));
  if (unknownKey !== undefined) {
    const near = closest(unknownKey, OBJECT_KEYS);
    return fail(
      `unknown key "${unknownKey}" in resources.gpu`,
      near === undefined ? `allowed keys: ${OBJECT_KEYS.join(", ")}` : `did you mean "${near}"?`,
    );
  }
  const parts: Parts = {};
  if (raw.vendor !== undefined && raw.vendor !== null) {
    const vendor = typeof raw.vendor === "string" ? parseVendor(raw.vendor) : undefined;
    if (vendor === undefined) {
      const near = typeof raw.vendor === "string" ? closest(raw.vendor, VENDOR_WORDS) : undefined;
      return fail(
        `vendor ${JSON.stringify(raw.vendor)} is not one of ${VENDOR_WORDS.join(", ")}`,
        near && `did you mean "${near}"?`,
      );
    }
    parts.vendor = vendor;
  }
  if (raw.name !== undefined && raw.name !== null) {
    const list = Array.isArray(raw.name)
      ? raw.name
      : typeof raw.name === "string"
        ? raw.name.split(",")
        : [raw.name];
    if (list.length === 0) return fail("name is an empty list", "leave name out to accept any GPU");
    const names = parseNames(list);
    if (!names.ok) return names;
    parts.names = names.value;
  }
  for (const key of ["count", "memory", "total_memory"] as const) {
    const value = raw[key];
    if (value === undefined || value === null) continue;
    const range =
      key === "count"
        ? parseRange(value, parseCount, "a GPU count", "2 or 1..8")
        : parseRange(value, parseSize, "a memory size", "80GB or 40GB..");
    if (!range.ok) return fail(`${key}: ${range.message}`, range.hint);
    parts[key] = range.value;
  }
  if (raw.compute_capability !== undefined && raw.compute_capability !== null) {
    const cc = scalarText(raw.compute_capability);
    if (!/^\d+(\.\d+)?$/.test(cc))
      return fail(
        `compute_capability ${JSON.stringify(raw.compute_capability)} is not a version`,
        "e.g. 7.5 or 8.0",
      );
    parts.compute_capability = cc.includes(".") ? cc : `${cc}.0`;
  }
  return finish(parts);
}

function finish(parts: Parts): Parsed<GpuParse> {
  const count = parts.count ?? DEFAULT_COUNT;
  if (count.max === 0) return ok({ spec: null, warnings: [] });
  const warnings: string[] = [];
  let vendor = parts.vendor ?? null;
  if (parts.names !== undefined) {
    const inferred = inferVendor(parts.names, warnings);
    if (!inferred.ok) return inferred;
    if (vendor !== null && inferred.value !== null && inferred.value !== vendor) {
      return fail(
        `${parts.names.join(",")} is made by ${inferred.value}, not ${vendor}`,
        `drop the vendor or write ${inferred.value}`,
      );
    }
    vendor = vendor ?? inferred.value ?? "nvidia";
  }
  if (parts.compute_capability !== undefined && vendor !== null && vendor !== "nvidia") {
    return fail(`compute_capability applies to NVIDIA GPUs, not ${vendor}`);
  }
  return ok({
    spec: {
      vendor,
      name: parts.names ?? null,
      count,
      memory: parts.memory ?? null,
      total_memory: parts.total_memory ?? null,
      compute_capability: parts.compute_capability ?? null,
    },
    warnings,
  });
}

function inferVendor(names: readonly string[], warnings: string[]): Parsed<GpuVendor | null> {
  const vendors = new Set<GpuVendor>();
  for (const name of names) {
    const known = lookupGpu(name);
    if (known !== undefined) {
      vendors.add(known.vendor);
      continue;
    }
    const near = closest(name, KNOWN_GPU_NAMES);
    warnings.push(`unknown GPU name "${name}"${near === undefined ? "" : `; did you mean "${near}"?`}`);
  }
  if (vendors.size > 1)
    return fail(
      `${names.join(",")} mixes GPUs of different vendors (${[...vendors].join(", ")})`,
      "ask for GPUs of one vendor",
    );
  return ok(vendors.values().next().value ?? null);
}

/** ARM when every named GPU sits on an ARM host (Grace), else unknown. */
export function hostArchForGpu(spec: GpuSpec | null): "arm" | null {
  if (spec?.name === null || spec === null) return null;
  return spec.name.every((n) => ARM_HOSTED_GPUS.includes(n)) ? "arm" : null;
}
