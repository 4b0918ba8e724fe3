// The normalized GPU request, and the steps both written forms (string and object) share: GPU names,
// and the vendor, inferred from the names the way dstack's server does (`set_default_gpu_spec_vendor`).
import { closest } from "../suggest.js";
import { isArmHosted, KNOWN_GPU_NAMES, lookupGpu, VENDOR_WORDS, type GpuVendor } from "./gpu-names.js";
import type { Range } from "./range.js";
import { fail, ok, type Parsed } from "./result.js";

export interface GpuSpec {
  /** null: any vendor, or (with names) the names decide, as in dstack when names are unknown or mixed. */
  vendor: GpuVendor | null;
  name: string[] | null;
  /** `{min: 0, max: 0}` asks for exactly no GPU (`gpu: 0`): a CPU-only run or fleet. */
  count: Range;
  memory: Range | null;
  total_memory: Range | null;
  compute_capability: string | null;
}

export interface GpuParse {
  spec: GpuSpec;
  /** Non-fatal remarks (unknown names, near misses, deprecated spellings). */
  warnings: string[];
}

/** What a configuration wrote, before defaults and inference. */
export interface GpuParts {
  vendor?: GpuVendor;
  names?: string[];
  count?: Range;
  memory?: Range;
  total_memory?: Range;
  compute_capability?: string;
}

export const GPU_EXAMPLE = "A100, A100:80GB:2, 40GB..80GB:4, A10G,A100, nvidia, v2-8 or MI300X:amd";
const DEFAULT_COUNT: Range = { min: 1, max: null };
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Names as written (a list, or items of a comma-separated token), in their canonical spelling. */
export function parseNames(list: readonly unknown[], warnings: string[]): Parsed<string[]> {
  const names: string[] = [];
  for (const item of list) {
    const written = typeof item === "number" ? String(item) : item;
    if (typeof written === "string" && written.trim() === "")
      return fail("a GPU name is empty", "separate names with single commas: A10G,A100");
    if (typeof written !== "string" || !NAME.test(written.trim())) {
      const near =
        typeof written === "string" ? closest(written, [...KNOWN_GPU_NAMES, ...VENDOR_WORDS]) : undefined;
      return fail(
        `${JSON.stringify(item)} is not a GPU name, vendor, memory size or count`,
        near === undefined ? `e.g. ${GPU_EXAMPLE}` : `did you mean "${near}"?`,
      );
    }
    let name = written.trim();
    // dstack still reads the old `tpu-v3-8` spelling, dropping the prefix (with a deprecation warning).
    if (name.startsWith("tpu-")) {
      name = name.slice(4);
      if (name === "") return fail(`"${written}" is not a GPU name`, "e.g. tpu:v3-8");
      warnings.push(`the "tpu-" prefix is deprecated: write tpu:${name} (or just ${name})`);
    }
    names.push(lookupGpu(name)?.name ?? name);
  }
  return ok([...new Set(names)]);
}

/** Defaults and the vendor: an explicit vendor wins, else the names' one vendor when all are known. */
export function finishGpu(parts: GpuParts, warnings: string[]): Parsed<GpuParse> {
  const count = parts.count ?? DEFAULT_COUNT;
  let vendor = parts.vendor ?? null;
  // dstack infers nothing for `gpu: 0` (no GPU is asked for), and neither do we.
  if (parts.names !== undefined && count.max !== 0) {
    const inferred = inferVendor(parts.names, vendor, warnings);
    if (!inferred.ok) return inferred;
    vendor = inferred.value;
  }
  if (parts.compute_capability !== undefined && vendor !== null && vendor !== "nvidia") {
    return fail(
      `compute_capability applies to NVIDIA GPUs, not ${vendor}`,
      "drop compute_capability, or ask for an NVIDIA GPU",
    );
  }
  const spec: GpuSpec = {
    vendor,
    name: parts.names ?? null,
    count,
    memory: parts.memory ?? null,
    total_memory: parts.total_memory ?? null,
    compute_capability: parts.compute_capability ?? null,
  };
  return ok({ spec, warnings });
}

function inferVendor(
  names: readonly string[],
  written: GpuVendor | null,
  warnings: string[],
): Parsed<GpuVendor | null> {
  // null stands for a name whose vendor is not known (dstack's placeholder for an unknown model).
  const vendors = new Set<GpuVendor | null>();
  for (const name of names) {
    const known = lookupGpu(name);
    vendors.add(known?.vendor ?? null);
    if (known !== undefined && known.vendor !== null && written !== null && known.vendor !== written) {
      return fail(
        `${name} is made by ${known.vendor}, not ${written}`,
        `drop the vendor or write ${known.vendor}`,
      );
    }
    if (known === undefined) {
      const near = closest(name, KNOWN_GPU_NAMES);
      warnings.push(
        `unknown GPU name "${name}"${near === undefined ? "" : `; did you mean "${near}"?`} ` +
          "(offers are matched by the name alone)",
      );
    }
  }
  if (written !== null) return ok(written);
  // One vendor for all: that vendor. Mixed vendors, or any unknown name: unset, the names decide.
  return ok(vendors.size === 1 ? (vendors.values().next().value ?? null) : null);
}

/** ARM when every named GPU sits on an ARM host (Grace), else unknown. */
export function hostArchForGpu(spec: GpuSpec | null): "arm" | null {
  if (spec === null || spec.name === null || spec.count.max === 0) return null;
  return spec.name.every(isArmHosted) ? "arm" : null;
}
