// Accelerator names we know, by vendor: used to infer the vendor (as dstack does, from gpuhunt's tables)
// and to suggest near misses. A name outside these tables is still accepted, with the vendor left unset:
// dstack then matches offers by the name alone, so guessing a vendor would only ever exclude offers.

// `aws` (Trainium, Inferentia) goes beyond dstack's list: the catalog offers trn1 and inf2 instances.
export const GPU_VENDORS = ["nvidia", "amd", "google", "intel", "tenstorrent", "aws"] as const;
export type GpuVendor = (typeof GPU_VENDORS)[number];

// dstack's `_vendor_from_string`: `tpu` and `tt` are spellings of a vendor, case does not matter.
const VENDOR_ALIASES: Record<string, GpuVendor> = { tpu: "google", tt: "tenstorrent" };

export function parseVendor(token: string): GpuVendor | undefined {
  const lower = token.toLowerCase();
  return (GPU_VENDORS as readonly string[]).includes(lower) ? (lower as GpuVendor) : VENDOR_ALIASES[lower];
}

export const VENDOR_WORDS: readonly string[] = [...GPU_VENDORS, ...Object.keys(VENDOR_ALIASES)];

// gpuhunt's KNOWN_NVIDIA_GPUS, KNOWN_AMD_GPUS, KNOWN_INTEL_ACCELERATORS and KNOWN_TENSTORRENT_ACCELERATORS
// (gpuhunt src/gpuhunt/_internal/constraints.py, 2026-08), one entry per name.
const KNOWN: Record<Exclude<GpuVendor, "google">, readonly string[]> = {
  nvidia: [
    ...["A100", "A10G", "A10", "A16", "A40", "A4000", "A4500", "A5000", "A6000"],
    ...["H100", "H100NVL", "H200", "H200NVL", "B200", "GB200", "B300", "GH200"],
    ...["L4", "L40", "L40S", "P100", "T4", "V100"],
    ...["RTX2060", "RTX2060SUPER", "RTX2070", "RTX2070SUPER", "RTX2080", "RTX2080SUPER", "RTX2080Ti"],
    ...["RTX3050", "RTX3060", "RTX3060Ti", "RTX3070", "RTX3070Ti", "RTX3080", "RTX3080Ti"],
    ...["RTX3090", "RTX3090Ti", "RTX4060", "RTX4060Ti", "RTX4070", "RTX4070SUPER", "RTX4070Ti"],
    ...["RTX4070TiSUPER", "RTX4080", "RTX4080SUPER", "RTX4090", "RTX5060", "RTX5060Ti", "RTX5070"],
    ...["RTX5070Ti", "RTX5080", "RTX5090", "RTX6000", "RTX2000Ada", "RTX4000Ada", "RTX6000Ada"],
    ...["RTXPRO4500", "RTXPRO6000"],
  ],
  amd: ["MI100", "MI210", "MI250", "MI250X", "MI300A", "MI300X", "MI308X", "MI325X", "MI350X", "MI355X"],
  intel: ["Gaudi", "Gaudi2", "Gaudi3"],
  tenstorrent: ["n150", "n300", "tt-galaxy-wh", "p100a", "p150", "p300", "tt-galaxy-bh"],
  aws: ["Trainium", "Trainium2", "Inferentia", "Inferentia2"],
};

// Names the bundled catalog sells (or nvidia-smi reports) that gpuhunt's tables lack: their spelling is
// known, but like dstack we infer no vendor from them.
const VENDORLESS: readonly string[] = ["V520", "A2", "A30", "P4", "P40"];

/** Names whose host CPU is ARM (Grace): gpuhunt's `is_nvidia_superchip`, GH… and GB…. */
export function isArmHosted(name: string): boolean {
  return /^g[bh]\d+/i.test(name);
}

// gpuhunt's KNOWN_TPUS versions; a TPU is written `<version>-<cores>` (`v5litepod-8`). `v5e` is this
// project's alias of `v5litepod` (the catalog sells v5e slices under that name), dstack does not know it.
const TPU_VERSIONS: readonly string[] = ["v2", "v3", "v4", "v5p", "v5litepod", "v6e", "v5e"];
const TPU = /^([a-z0-9]+)-(\d+)$/i;

export interface KnownGpu {
  name: string;
  /** null: a known spelling whose vendor dstack leaves unset. */
  vendor: GpuVendor | null;
}

const BY_LOWER = new Map<string, KnownGpu>();
for (const [vendor, names] of Object.entries(KNOWN) as [GpuVendor, readonly string[]][]) {
  for (const name of names) BY_LOWER.set(name.toLowerCase(), { name, vendor });
}
for (const name of VENDORLESS) BY_LOWER.set(name.toLowerCase(), { name, vendor: null });

export const KNOWN_GPU_NAMES: readonly string[] = [...BY_LOWER.values()].map((g) => g.name);

/** Example TPU slices, for suggestions and tests. */
export const TPU_EXAMPLES: readonly string[] = TPU_VERSIONS.map((v) => `${v}-8`);

/** The canonical spelling and vendor of a known accelerator name, or undefined. */
export function lookupGpu(name: string): KnownGpu | undefined {
  const tpu = TPU.exec(name);
  if (tpu !== null && TPU_VERSIONS.includes(tpu[1]!.toLowerCase()))
    return { name: name.toLowerCase(), vendor: "google" };
  return BY_LOWER.get(name.toLowerCase());
}
