// One offer: an instance type in a region, spot or on-demand, at a price. Flat on purpose: the matcher
// reads a handful of numbers per offer, and `dstack offer --json` prints these keys as they are.
import type { CpuArch } from "../compiler/grammar/cpu.js";
import type { GpuVendor } from "../compiler/grammar/gpu-names.js";
import type { Backend } from "../compiler/spec.js";

export interface Offer {
  backend: Backend;
  region: string;
  /** Zone names (GCP, Azure) or AWS AZ IDs (`use1-az4`); empty when unknown. */
  zones: readonly string[];
  /** The provider's name, e.g. `p4d.24xlarge` or `n1-standard-8`. */
  instance_type: string;
  /** Unique within the backend: `n1-standard-8/1xT4` where one machine type takes several GPUs. */
  instance_id: string;
  /** The GCP accelerator type attached to an N1 machine, e.g. `nvidia-tesla-t4`. */
  accelerator: string | null;
  spot: boolean;
  /** USD per hour. */
  price: number;
  cpus: number;
  cpu_arch: CpuArch;
  memory_gb: number;
  gpu_vendor: GpuVendor | null;
  gpu_name: string | null;
  gpu_count: number;
  /** Per GPU; 0 without GPUs. */
  gpu_memory_gb: number;
  compute_capability: string | null;
  /** A partitioned GPU (Azure NV6ads A10 v5 = 1/6), else null. */
  gpu_fraction: number | null;
  /** Instance store bundled with the type; the root volume is `disk_gb` of a matched offer. */
  local_disk_gb: number;
  /** The root volume sizes this backend can provision for the type (GB). */
  disk_min_gb: number;
  disk_max_gb: number;
  deprecated: boolean;
  /** The price is derived rather than read from a price list (see DATA.md "Estimation rules"). */
  price_estimated: boolean;
}

/** An offer that satisfies a request, with the root volume size chosen for it. */
export interface MatchedOffer extends Offer {
  disk_gb: number;
}
