// `resources` of one layer (configuration or CLI flags), then defaults once the layers are merged.
import type { DiagnosticBag, Path } from "../diagnostics.js";
import { DEFAULT_CPU_COUNT, parseCpu, type CpuSpec } from "../grammar/cpu.js";
import { hostArchForGpu, parseGpu, type GpuSpec } from "../grammar/gpu.js";
import { parseRange, type Range } from "../grammar/range.js";
import { fail, type Parsed } from "../grammar/result.js";
import { parseSize } from "../grammar/units.js";
import type { ResourcesSpec } from "../spec.js";
import { asObject, parseField, type RawObject } from "./field.js";

export interface ResourcesLayer {
  cpu?: CpuSpec;
  memory?: Range;
  shm_size?: number;
  /** `gpu: 0` is a spec whose count is 0..0 (exactly no GPU), never "no requirement". */
  gpu?: GpuSpec;
  disk?: Range;
}

export const DEFAULT_MEMORY: Range = { min: 8, max: null };
export const DEFAULT_DISK: Range = { min: 100, max: null };

const sizeRange = (what: string, example: string) => (raw: unknown) =>
  parseRange(raw, parseSize, what, example);

export function parseDisk(raw: unknown): Parsed<Range> {
  if (typeof raw === "object" && raw !== null && !Array.isArray(raw) && "size" in raw) {
    return sizeRange("a disk size", "100GB..")((raw as RawObject).size);
  }
  return sizeRange("a disk size", "100GB.. or 200GB..500GB")(raw);
}

function parseShm(raw: unknown): Parsed<number> {
  if (typeof raw !== "number" && typeof raw !== "string") return fail("expected a size such as 16GB");
  if (typeof raw === "string" && raw.includes(".."))
    return fail(`"${raw}" is a range; shm_size is one size`, "e.g. shm_size: 16GB");
  const size = parseSize(String(raw));
  return size.ok && size.value <= 0 ? fail("shm_size must be greater than zero") : size;
}

export function normalizeResources(rawResources: unknown, bag: DiagnosticBag, base: Path): ResourcesLayer {
  const raw = asObject(rawResources);
  const layer: ResourcesLayer = {};
  const cpu = parseField(bag, [...base, "cpu"], raw.cpu, parseCpu);
  if (cpu !== undefined) layer.cpu = cpu;
  const memory = parseField(
    bag,
    [...base, "memory"],
    raw.memory,
    sizeRange("a memory size", "8GB.. or 16GB..64GB"),
  );
  if (memory !== undefined) layer.memory = memory;
  const shm = parseField(bag, [...base, "shm_size"], raw.shm_size, parseShm);
  if (shm !== undefined) layer.shm_size = shm;
  const disk = parseField(bag, [...base, "disk"], raw.disk, parseDisk);
  if (disk !== undefined) layer.disk = disk;
  const gpu = parseField(bag, [...base, "gpu"], raw.gpu, parseGpu);
  if (gpu !== undefined) {
    for (const warning of gpu.warnings)
      bag.warning({ code: "unknown-gpu", path: [...base, "gpu"], message: warning });
    layer.gpu = gpu.spec;
  }
  return layer;
}

/** Merge layers (later wins per field) and fill dstack's defaults. */
export function resolveResources(layers: readonly ResourcesLayer[]): ResourcesSpec {
  const merged: ResourcesLayer = Object.assign({}, ...layers) as ResourcesLayer;
  const gpu = merged.gpu ?? null;
  const cpu = merged.cpu ?? { arch: null, count: DEFAULT_CPU_COUNT };
  return {
    cpu: { arch: cpu.arch ?? hostArchForGpu(gpu), count: cpu.count },
    memory: merged.memory ?? DEFAULT_MEMORY,
    shm_size: merged.shm_size ?? null,
    disk: { size: merged.disk ?? DEFAULT_DISK },
    gpu,
  };
}
