// What an instance costs, in USD (pure): per hour (the offer's price plus its root volume), the worst
// case of its idle time before the reaper tears it down, and what it has cost so far. The catalog
// prices instances only; the root volume is priced here from one published list price per backend.
import type { Duration } from "../compiler/grammar/units.js";

/** Cloud disk prices are quoted per GB-month; the clouds bill a month as 730 hours. */
export const HOURS_PER_MONTH = 730;

/**
 * USD per GB-month of the root volume type each backend's stack creates (src/stacks: gp3, pd-balanced,
 * Premium_LRS), list prices of the cheapest usual region (others cost more, some up to twice as much).
 * - aws: EBS gp3, $0.08/GB-month in us-east-1 (baseline 3,000 IOPS and 125 MB/s included),
 *   https://aws.amazon.com/ebs/pricing/
 * - gcp: pd-balanced, $0.10/GB-month in us-central1, https://cloud.google.com/compute/disks-image-pricing
 * - azure: billed per size tier instead (AZURE_PREMIUM_SSD_TIERS); this rate is only for sizes past the
 *   largest tier. The local backend is this machine: it costs nothing. Backends not listed are not
 *   provisioned here.
 */
export const DISK_USD_PER_GB_MONTH: Readonly<Record<string, number>> = {
  aws: 0.08,
  gcp: 0.1,
  azure: 495.57 / 4096,
  local: 0,
};

/**
 * Azure Premium SSD (Premium_LRS) managed disks are billed as the smallest tier that holds the disk
 * (a 100 GB disk as P10, 128 GiB): [GiB, USD per month], East US, LRS, from P4 (Azure's OS disks here
 * are 30 GB at least, src/catalog/disk.ts) to P50 (their 4095 GB maximum),
 * https://azure.microsoft.com/pricing/details/managed-disks/
 */
export const AZURE_PREMIUM_SSD_TIERS: readonly (readonly [number, number])[] = [
  [32, 5.28], // P4
  [64, 10.21], // P6
  [128, 19.71], // P10
  [256, 38.01], // P15
  [512, 73.22], // P20
  [1024, 135.17], // P30
  [2048, 259.05], // P40
  [4096, 495.57], // P50
];

function diskMonthly(backend: string, diskGb: number): number {
  if (diskGb <= 0) return 0;
  const tier = backend === "azure" ? AZURE_PREMIUM_SSD_TIERS.find(([size]) => diskGb <= size) : undefined;
  return tier?.[1] ?? (DISK_USD_PER_GB_MONTH[backend] ?? 0) * diskGb;
}

/** Rounded to a millionth of a dollar: enough for any total, and free of float noise in --json. */
export const roundUsd = (usd: number): number => Math.round(usd * 1e6) / 1e6;

export function diskHourly(backend: string, diskGb: number): number {
  return diskMonthly(backend, diskGb) / HOURS_PER_MONTH;
}

/** One instance's cost per hour. */
export interface HourlyCost {
  /** The offer's price. */
  instance: number;
  /** The root volume's. */
  disk: number;
  disk_gb: number;
  total: number;
}

export function hourlyCost(instance: { backend: string; price: number; disk_gb: number }): HourlyCost {
  const disk = diskHourly(instance.backend, instance.disk_gb);
  return { instance: instance.price, disk, disk_gb: instance.disk_gb, total: instance.price + disk };
}

/**
 * The most an idle instance costs before the reaper tears it down: its idle_duration at its hourly
 * price. null when idle_duration is `off`: it is never torn down, so there is no bound.
 */
export function idleWorstCase(hourly: number, idleDuration: Duration): number | null {
  return idleDuration === "off" ? null : (hourly * idleDuration) / 3600;
}

/** The cost from `since` (ISO) to `until` (ms) at `hourly`; never negative (clocks differ a little). */
export function accruedCost(hourly: number, since: string, until: number): number {
  return (hourly * Math.max(0, until - Date.parse(since))) / 3_600_000;
}
