// Root volume sizes. Cloud disks are chosen, not bundled (EBS, persistent disk, managed disk), so an
// instance type suits any disk request its backend can provision, and the offer shows the size chosen:
// the smallest the request allows (dstack's `choose_disk_size_mib`). The bounds are dstack's
// `CONFIGURABLE_DISK_SIZE` per backend, which include the size of the machine image.
import type { Range } from "../compiler/grammar/range.js";
import type { CloudBackend } from "./data-format.js";

export const DISK_LIMITS: Readonly<Record<CloudBackend, { min: number; max: number }>> = {
  // gp2/gp3 volumes go to 16 TB; dstack's AMIs are 100 GB.
  aws: { min: 100, max: 16 * 1024 },
  // pd-balanced goes to 64 TB, but the image file system cannot grow past 32 TB; images are 20 GB.
  gcp: { min: 20, max: 32 * 1024 },
  // OS disks go to 4095 GB; images are 30 GB.
  azure: { min: 30, max: 4095 },
};

/** dstack's default disk request when a configuration gives none. */
export const DEFAULT_DISK_RANGE: Range = { min: 100, max: null };

/** The size to provision: the least of `wanted` within `[min, max]`, or null when they do not meet. */
export function chooseDiskGb(wanted: Range, min: number, max: number): number | null {
  const low = Math.max(wanted.min ?? min, min);
  const high = Math.min(wanted.max ?? max, max);
  return low > high ? null : low;
}
