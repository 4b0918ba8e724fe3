// What a fleet's instances cost (pure): per hour and since each was created, summed over the instances
// it holds now. Each is priced from its pool record (offer price plus root volume); one the pool no
// longer describes, at the fleet's offer price since the fleet's creation.
import { accruedCost } from "../catalog/cost.js";
import { instanceHourly } from "../pools/instance-cost.js";
import type { PoolRecord } from "../pools/pool-store.js";
import type { FleetRecord } from "./store.js";

export interface FleetCost {
  /** USD per hour of every instance together. */
  hourly: number;
  /** USD so far. */
  accrued: number;
}

/** null while the fleet holds no instance (pending, failed, or every node torn down). */
export function fleetCost(fleet: FleetRecord, pool: PoolRecord, now: number): FleetCost | null {
  if (fleet.instances.length === 0) return null;
  let hourly = 0;
  let accrued = 0;
  for (const node of fleet.instances) {
    const pooled = pool.instances.find((i) => i.name === node.name);
    const rate = (pooled === undefined ? undefined : instanceHourly(pool, pooled)?.total) ?? fleet.price;
    hourly += rate;
    accrued += accruedCost(rate, pooled?.created_at ?? fleet.created_at, now);
  }
  return { hourly, accrued };
}
