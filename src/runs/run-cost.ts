// What a run costs: in its plan, a new instance of the chosen offer (idle for the run's idle_duration
// after it, at worst), or nothing new when an idle instance is reused (then what that one is billed
// already); in `dstack ps`, its instance's hourly price over the time since its submission.
import { accruedCost, hourlyCost } from "../catalog/cost.js";
import type { MatchedOffer } from "../catalog/offer.js";
import { planCost, reusedCost, type PlanCost } from "../catalog/plan-cost.js";
import type { Duration } from "../compiler/grammar/units.js";
import type { InstanceAddress } from "../pools/pool.js";
import { instanceHourly } from "../pools/instance-cost.js";
import { readPool, type PoolInstance, type PoolRecord } from "../pools/pool-store.js";
import type { RunRecord } from "./store.js";

export function runPlanCost(input: {
  home: string;
  offer: MatchedOffer;
  idleDuration: Duration;
  /** The offers a failover may try after `offer`. */
  alternatives?: readonly MatchedOffer[];
  reused?: InstanceAddress & { offer: MatchedOffer };
}): PlanCost {
  const { reused } = input;
  if (reused === undefined)
    return planCost({
      offer: input.offer,
      instances: 1,
      idleDuration: input.idleDuration,
      alternatives: input.alternatives,
    });
  const pool = readPool(input.home, reused.pool);
  const instance = pool.instances.find((i) => i.name === reused.name);
  const hourly = instance === undefined ? null : instanceHourly(pool, instance);
  return reusedCost(reused.name, hourly?.total ?? reused.offer.price, input.idleDuration);
}

/** A run's instance price per hour, and what the run has cost from its submission until it ended. */
export interface RunCost {
  hourly: number;
  /** null when the time it ended is unknown (its instance was torn down before anyone asked). */
  accrued: number | null;
}

/**
 * `instance`: its pool record while the pool holds it (the root volume's size is there; without it,
 * the offer's price alone). `end` (ms): when it stopped costing; null when unknown.
 */
export function runCost(input: {
  record: Pick<RunRecord, "backend" | "price" | "submitted_at">;
  instance: { pool: PoolRecord; instance: PoolInstance } | undefined;
  end: number | null;
}): RunCost {
  const { record, instance } = input;
  const hourly =
    (instance === undefined ? undefined : instanceHourly(instance.pool, instance.instance)?.total) ??
    hourlyCost({ backend: record.backend, price: record.price, disk_gb: 0 }).total;
  const { end } = input;
  return { hourly, accrued: end === null ? null : accruedCost(hourly, record.submitted_at, end) };
}
