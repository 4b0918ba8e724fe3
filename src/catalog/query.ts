// Requirements compiled once into the shape the matcher tests offers against: lower-cased sets, numeric
// bounds (null = open), compute capability as a number.
import type { CpuArch } from "../compiler/grammar/cpu.js";
import type { GpuVendor } from "../compiler/grammar/gpu-names.js";
import type { Range } from "../compiler/grammar/range.js";
import { DEFAULT_DISK_RANGE } from "./disk.js";
import { gpuKey } from "./gpu-key.js";
import type { Requirements } from "./requirements.js";

export interface GpuQuery {
  vendor: GpuVendor | null;
  /** gpuKey()s of acceptable names, or null for any. */
  names: ReadonlySet<string> | null;
  count: Range;
  memory: Range | null;
  totalMemory: Range | null;
  /** Minimum compute capability as major * 1000 + minor. */
  computeCapability: number | null;
}

export interface Query {
  cpuArch: CpuArch | null;
  cpus: Range;
  memory: Range;
  disk: Range;
  gpu: GpuQuery | null;
  backends: ReadonlySet<string> | null;
  regions: ReadonlySet<string> | null;
  zones: ReadonlySet<string> | null;
  instanceTypes: ReadonlySet<string> | null;
  /** true: spot only, false: on-demand only, null: both. */
  spot: boolean | null;
  maxPrice: number | null;
}

const lowerSet = (list: readonly string[] | null): ReadonlySet<string> | null =>
  list === null ? null : new Set(list.map((s) => s.toLowerCase()));

export function ccNumber(cc: string): number {
  const [major, minor] = cc.split(".");
  return Number(major) * 1000 + Number(minor ?? 0);
}

export function prepareQuery(req: Requirements): Query {
  const r = req.resources;
  const gpu = r.gpu;
  return {
    cpuArch: r.cpu.arch,
    cpus: r.cpu.count,
    memory: r.memory,
    disk: r.disk?.size ?? DEFAULT_DISK_RANGE,
    gpu:
      gpu === null
        ? null
        : {
            vendor: gpu.vendor,
            names: gpu.name === null ? null : new Set(gpu.name.map(gpuKey)),
            count: gpu.count,
            memory: gpu.memory,
            totalMemory: gpu.total_memory,
            computeCapability: gpu.compute_capability === null ? null : ccNumber(gpu.compute_capability),
          },
    backends: lowerSet(req.backends),
    regions: lowerSet(req.regions),
    zones: lowerSet(req.availability_zones),
    instanceTypes: lowerSet(req.instance_types),
    spot: req.spot_policy === "auto" ? null : req.spot_policy === "spot",
    maxPrice: req.max_price,
  };
}
