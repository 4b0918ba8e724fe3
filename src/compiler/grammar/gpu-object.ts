// The object form of `resources.gpu`: `{vendor, name, count, memory, total_memory, compute_capability}`,
// the fields of dstack's GPUSpec, each in every spelling dstack reads (ranges as `a..b` or `{min, max}`).
import { scalarText } from "../diagnostics.js";
import { closest } from "../suggest.js";
import { parseVendor, VENDOR_WORDS } from "./gpu-names.js";
import { finishGpu, parseNames, type GpuParse, type GpuParts } from "./gpu-spec.js";
import { parseRange } from "./range.js";
import { fail, ok, type Parsed } from "./result.js";
import { parseCount, parseSize } from "./units.js";

const OBJECT_KEYS = ["vendor", "name", "count", "memory", "total_memory", "compute_capability"];

export function parseGpuObject(raw: Record<string, unknown>): Parsed<GpuParse> {
  const unknownKey = Object.keys(raw).find((k) => !OBJECT_KEYS.includes(k));
  if (unknownKey !== undefined) {
    const near = closest(unknownKey, OBJECT_KEYS);
    return fail(
      `unknown key "${unknownKey}" in resources.gpu`,
      near === undefined ? `allowed keys: ${OBJECT_KEYS.join(", ")}` : `did you mean "${near}"?`,
    );
  }
  const parts: GpuParts = {};
  const warnings: string[] = [];
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
    const names = parseNames(list, warnings);
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
    const cc = parseComputeCapability(raw.compute_capability);
    if (!cc.ok) return cc;
    parts.compute_capability = cc.value;
  }
  return finishGpu(parts, warnings);
}

/** `7.5`, `"7.5"`, `8` (8.0) or, as dstack also reads it, a pair `[7, 5]`; as `major.minor` text. */
function parseComputeCapability(raw: unknown): Parsed<string> {
  const list: readonly unknown[] | null = Array.isArray(raw) ? (raw as unknown[]) : null;
  const pair = list !== null && list.length === 2 && list.every((n) => typeof n === "number");
  const cc = pair ? list.join(".") : scalarText(raw);
  if (!/^\d+(\.\d+)?$/.test(cc))
    return fail(`compute_capability ${JSON.stringify(raw)} is not a version`, "e.g. 7.5, 8.0 or [8, 0]");
  return ok(cc.includes(".") ? cc : `${cc}.0`);
}
