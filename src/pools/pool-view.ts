// How pools and their instances show in `dstack pool list` and `dstack pool ps` (pure over the named
// pools and the pool records): an instance is `provisioning` while its creator runs, `busy` while a run is on it or being
// placed on it (a claim), else `idle`. Busy is what dstack last recorded; removal asks the agent.
import { roundUsd } from "../catalog/cost.js";
import { instanceAccrued, instanceHourly } from "./instance-cost.js";
import { poolNameOf, type NamedPool } from "./named-pools.js";
import type { PoolInstance, PoolRecord } from "./pool-store.js";
import { CLAIM_MS } from "./reuse.js";

export type InstanceStatus = "provisioning" | "busy" | "idle" | "terminating";

export function instanceStatus(instance: PoolInstance, now: number): InstanceStatus {
  if (instance.terminating_at !== undefined) return "terminating";
  if (instance.creator !== undefined || instance.ssh_port === undefined) return "provisioning";
  if ((instance.active_runs ?? []).length > 0) return "busy";
  if (instance.claimed_at !== undefined && now - Date.parse(instance.claimed_at) < CLAIM_MS) return "busy";
  return "idle";
}

export interface PoolSummary {
  name: string;
  /** `fleet` for a fleet's pool (`type: fleet`), else `pool` (default-pool and `dstack pool create`'s). */
  kind: "pool" | "fleet";
  default: boolean;
  available: number;
  total: number;
  created_at: string | null;
  /** Where its instances live: `<backend> <region>` of each, once. */
  where: string[];
}

export function poolSummary(pool: NamedPool, now: number): PoolSummary {
  return {
    name: pool.name,
    kind: pool.kind,
    default: pool.default,
    available: pool.instances.filter(({ instance }) => instanceStatus(instance, now) === "idle").length,
    total: pool.instances.length,
    created_at: pool.created_at,
    where: [
      ...new Set(pool.instances.map(({ place }) => `${place.backend ?? "local"} ${place.region ?? "local"}`)),
    ],
  };
}

export interface InstanceRow {
  /** The named pool (default-pool, a created one, a fleet's). */
  pool: string;
  /** The record and stack it lives in: `local`, `<backend>-<region>`, a fleet's name. */
  place: string;
  name: string;
  backend: string;
  region: string;
  zone: string | null;
  instance_type: string | null;
  spot: boolean | null;
  price: number | null;
  /** USD per hour: the offer's price plus the root volume's (src/catalog/cost.ts). */
  price_hourly: number | null;
  /** USD since it was created, at price_hourly. */
  cost_accrued: number | null;
  status: InstanceStatus;
  runs: string[];
  idle_duration: number | "off";
  created_at: string;
  /** Who created it (null in records written before shared backends). */
  owner: string | null;
}

export function instanceRows(pools: readonly PoolRecord[], now: number): InstanceRow[] {
  return pools.flatMap((pool) =>
    pool.instances.map((i) => {
      const hourly = instanceHourly(pool, i)?.total;
      const accrued = instanceAccrued(pool, i, now);
      return {
        pool: poolNameOf(pool, i),
        place: pool.name,
        name: i.name,
        backend: pool.backend ?? "local",
        region: pool.region ?? "local",
        zone: i.zone ?? null,
        instance_type: i.instance_type ?? null,
        spot: i.spot ?? null,
        price: i.price ?? null,
        price_hourly: hourly === undefined ? null : roundUsd(hourly),
        cost_accrued: accrued === null ? null : roundUsd(accrued),
        status: instanceStatus(i, now),
        runs: i.active_runs ?? [],
        idle_duration: i.idle_duration,
        created_at: i.created_at,
        owner: i.owner?.user ?? null,
      };
    }),
  );
}
