// Accelerator names we know, by vendor: used to infer the vendor and to suggest near misses.
// Unknown names are still accepted (new GPUs appear faster than this list), with vendor nvidia as fallback.

// `aws` (Trainium, Inferentia) goes beyond dstack's list: the catalog offers trn1 and inf2 instances.
export const GPU_VENDORS = ["nvidia", "amd", "google", "intel", "tenstorrent", "aws"] as const;
export type GpuVendor = (typeof GPU_VENDORS)[number];

const VENDOR_ALIASES: Record<string, GpuVendor> = { tpu: "google" };

export function parseVendor(token: string): GpuVendor | undefined {
  const lower = token.toLowerCase();
  return (GPU_VENDORS as readonly string[]).includes(lower) ? (lower as GpuVendor) : VENDOR_ALIASES[lower];
}

export const VENDOR_WORDS: readonly string[] = [...GPU_VENDORS, ...Object.keys(VENDOR_ALIASES)];

const KNOWN: Record<Exclude<GpuVendor, "google">, readonly string[]> = {
  nvidia: [
    "B200",
    "B100",
    "GB200",
    "H200",
    "H100",
    "GH200",
    "H100NVL",
    "A100",
    "A10G",
    "A10",
    "A16",
    "A2",
    "A30",
    "A40",
    "L4",
    "L40",
    "L40S",
    "T4",
    "V100",
    "P100",
    "P40",
    "P4",
    "K80",
    "M60",
    "RTX6000",
    "RTXA6000",
    "A6000",
    "A5000",
    "A4000",
    "RTX4090",
    "RTX3090",
    "RTX5090",
  ],
  amd: ["MI355X", "MI325X", "MI300X", "MI300A", "MI250X", "MI250", "MI210", "MI100", "V520"],
  intel: ["Gaudi", "Gaudi2", "Gaudi3"],
  tenstorrent: ["n150", "n300", "p100a", "p150a", "p150b"],
  aws: ["Trainium", "Trainium2", "Inferentia", "Inferentia2"],
};

/** Names whose host CPU is ARM (Grace), used to infer `cpu.arch` when it is not written. */
export const ARM_HOSTED_GPUS: readonly string[] = ["GH200", "GB200"];

/** Google TPU slices: `v2-8`, `v3-8`, `v4-8`, `v5litepod-8`, `v5e-8`, `v5p-8`, `v6e-8`. */
const TPU = /^v\d+[a-z]*-\d+$/i;

export interface KnownGpu {
  name: string;
  vendor: GpuVendor;
}

const BY_LOWER = new Map<string, KnownGpu>();
for (const [vendor, names] of Object.entries(KNOWN) as [GpuVendor, readonly string[]][]) {
  for (const name of names) BY_LOWER.set(name.toLowerCase(), { name, vendor });
}

export const KNOWN_GPU_NAMES: readonly string[] = [...BY_LOWER.values()].map((g) => g.name);

/** The canonical spelling and vendor of a known accelerator name, or undefined. */
export function lookupGpu(name: string): KnownGpu | undefined {
  if (TPU.test(name)) return { name: name.toLowerCase(), vendor: "google" };
  return BY_LOWER.get(name.toLowerCase());
}
