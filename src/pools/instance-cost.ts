// What a pool instance costs, from its record (pure): per hour, its offer's price plus its root volume
// (a cloud instance's spec has the size; a local one has none and costs nothing), and what it has cost
// since it was created. Unknown (null) for a record written before prices were kept.
import { accruedCost, hourlyCost, type HourlyCost } from "../catalog/cost.js";
import type { PoolInstance, PoolRecord } from "./pool-store.js";

export function instanceHourly(pool: Pick<PoolRecord, "backend">, instance: PoolInstance): HourlyCost | null {
  if (instance.price === undefined) return null;
  return hourlyCost({
    backend: pool.backend ?? "local",
    price: instance.price,
    disk_gb: instance.spec?.disk_gb ?? 0,
  });
}

/** Since its creation until `now` (ms), at its hourly price. */
export function instanceAccrued(
  pool: Pick<PoolRecord, "backend">,
  instance: PoolInstance,
  now: number,
): number | null {
  const hourly = instanceHourly(pool, instance);
  return hourly === null ? null : accruedCost(hourly.total, instance.created_at, now);
}
