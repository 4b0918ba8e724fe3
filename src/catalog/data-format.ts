// The bundled catalog files as written (src/catalog/data/*.json); the format is documented in DATA.md and
// checked by scripts/check-catalog-data.mjs, so the loader trusts the shape.
import type { CpuArch } from "../compiler/grammar/cpu.js";
import type { GpuVendor } from "../compiler/grammar/gpu-names.js";

export const CLOUD_BACKENDS = ["aws", "gcp", "azure"] as const;
export type CloudBackend = (typeof CLOUD_BACKENDS)[number];

export interface CatalogGpu {
  vendor: GpuVendor;
  name: string;
  count: number;
  /** Per GPU, GB; for a TPU slice the HBM of the whole slice. */
  memory_gb: number;
  compute_capability: string | null;
}

export interface CatalogInstanceType {
  name: string;
  id?: string;
  accelerator?: string;
  cpus: number;
  cpu_arch: CpuArch;
  memory_gb: number;
  gpu: CatalogGpu | null;
  /** Local instance store; 0 = network disk only. Not the root volume the offer chooses. */
  disk_gb: number;
  deprecated?: boolean;
  gpu_fraction?: number;
}

export interface CatalogPriceRow {
  instance_type: string;
  region: string;
  zones: string[];
  zone_ids?: string[];
  on_demand: number;
  spot: number | null;
  spot_estimated?: boolean;
  on_demand_estimated?: boolean;
}

export interface CatalogFile {
  backend: CloudBackend;
  prices_taken: string;
  currency: "USD";
  instance_types: CatalogInstanceType[];
  prices: CatalogPriceRow[];
}
