// The cost line of a plan (`apply` of a run or a fleet, `pool add`), shown after the infrastructure
// diff and before the confirmation, and the same numbers under `cost` in --json (pure). Only the first
// attempt's offer is priced: a failover may land on a dearer one, so the line says how much dearer.
import { formatDuration, type Duration } from "../compiler/grammar/units.js";
import { formatPrice } from "../text-table.js";
import { hourlyCost, idleWorstCase, roundUsd, type HourlyCost } from "./cost.js";

export interface PlanCost {
  /** Instances the plan creates (a fleet's nodes); 0 when a run reuses an idle one. */
  instances: number;
  /** One new instance's cost per hour (zero when none is created). */
  each: HourlyCost;
  /** Seconds; "off": never torn down while idle. */
  idle_duration: Duration;
  /** The dearest offer a failover may land on, per instance-hour, when dearer than the first. */
  failover_max_hourly: number | null;
  /** The idle instance a run reuses (no new instance), with what it is already billed per hour. */
  reused: { name: string; hourly: number } | null;
}

type Priced = { backend: string; price: number; disk_gb: number };

/** The cost of creating `instances` instances of `offer`; `alternatives`: the offers failover may try. */
export function planCost(input: {
  offer: Priced;
  instances: number;
  idleDuration: Duration;
  alternatives?: readonly Priced[];
}): PlanCost {
  const each = hourlyCost(input.offer);
  const dearest = Math.max(...(input.alternatives ?? []).map((o) => hourlyCost(o).total));
  return {
    instances: input.instances,
    each,
    idle_duration: input.idleDuration,
    failover_max_hourly: dearest > each.total ? dearest : null,
    reused: null,
  };
}

/** A run placed on an idle instance billed `hourly`: nothing new is created, nothing new is billed. */
export function reusedCost(name: string, hourly: number, idleDuration: Duration): PlanCost {
  return {
    instances: 0,
    each: { instance: 0, disk: 0, disk_gb: 0, total: 0 },
    idle_duration: idleDuration,
    failover_max_hourly: null,
    reused: { name, hourly },
  };
}

/** USD totals over every instance the plan creates. */
export function planCostJson(cost: PlanCost): Record<string, unknown> {
  const n = cost.instances;
  const idle = idleWorstCase(cost.each.total * n, cost.idle_duration);
  return {
    hourly: roundUsd(cost.each.total * n),
    instance_hourly: roundUsd(cost.each.instance * n),
    disk_hourly: roundUsd(cost.each.disk * n),
    disk_gb: cost.each.disk_gb,
    instances: n,
    idle_duration_s: cost.idle_duration === "off" ? null : cost.idle_duration,
    idle_worst_case: idle === null ? null : roundUsd(idle),
    failover_max_hourly: cost.failover_max_hourly === null ? null : roundUsd(cost.failover_max_hourly),
    reused_instance: cost.reused?.name ?? null,
  };
}

function idleText(cost: PlanCost): string {
  const idle = idleWorstCase(cost.each.total * cost.instances, cost.idle_duration);
  if (idle === null) return "idle: off (no limit): billed until removed";
  return `idle up to ${formatDuration(cost.idle_duration)}: at most ${formatPrice(idle)} more`;
}

/** `Cost: $1.017/h (instance $1.006 + disk 100GB $0.011); idle up to 5m: at most $0.0848 more` */
export function planCostText(cost: PlanCost): string {
  if (cost.reused !== null) {
    const billed = cost.reused.hourly === 0 ? "" : `, already billed at ${formatPrice(cost.reused.hourly)}/h`;
    return `Cost: no new instance (reusing idle instance ${cost.reused.name}${billed})`;
  }
  const { each, instances: n } = cost;
  if (each.total === 0) return "Cost: $0/h (the local backend is this machine)";
  const parts = `instance ${formatPrice(each.instance)} + disk ${each.disk_gb}GB ${formatPrice(each.disk)}`;
  const rate =
    n === 1
      ? `${formatPrice(each.total)}/h (${parts})`
      : `${formatPrice(each.total * n)}/h for ${n} instances (${formatPrice(each.total)}/h each: ${parts})`;
  const failover =
    cost.failover_max_hourly === null
      ? ""
      : `\n (a failover to a later offer may cost up to ${formatPrice(cost.failover_max_hourly)}/h${n === 1 ? "" : " each"}: see the offers above)`;
  return `Cost: ${rate}; ${idleText(cost)}${failover}`;
}
