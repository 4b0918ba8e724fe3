// Where a job goes, decided the same way for a run (`apply`) and a build (`dstack build`): an idle
// instance of its pool (claimed, so that nothing else takes it meanwhile), else a new one, whose stack
// diff and cost are shown before the question.
import type { MatchedOffer } from "../catalog/offer.js";
import type { PlanCost } from "../catalog/plan-cost.js";
import { renderPlan, type Plan } from "../engine/plan.js";
import type { Attempt } from "../planner/attempt-plan.js";
import { poolForNewInstances } from "../pools/named-pools.js";
import type { NewInstance } from "../pools/pool.js";
import { instanceName } from "../pools/provision-instance.js";
import { findIdleInstance, type IdleInstance } from "../pools/reuse.js";
import type { ApplyContext } from "./apply-context.js";
import { checkFleets, mayCreate, noIdleInstance } from "./fleet-placement.js";
import { instanceToken } from "./names.js";
import { runPlanCost } from "./run-cost.js";

export interface FoundPlacement {
  /** The idle instance claimed for the job; undefined: a new one is needed. */
  idle: IdleInstance | undefined;
  /** The named pool a new instance joins. */
  poolName: string;
}

/**
 * The idle instance the job takes, if any (its fleets and pool checked first); refused before anything
 * changes when the job may only reuse (creation_policy reuse, fleets, instances) and nothing idle fits.
 */
export async function findPlacement(ctx: ApplyContext): Promise<FoundPlacement> {
  const { spec } = ctx;
  const home = ctx.pools.home;
  checkFleets(home, spec.fleets);
  const poolName = poolForNewInstances(home, spec.pool_name);
  const idle = await claimIdleFor(ctx);
  if (idle === undefined && !mayCreate(spec)) throw noIdleInstance(home, spec, ctx.requirements);
  return { idle, poolName };
}

/**
 * The idle instance the job's offers, idle_duration, fleets, instances, pool and volumes allow,
 * claimed (apply, build, a background resubmission that may only reuse); undefined when none fits.
 */
export function claimIdleFor(ctx: ApplyContext): Promise<IdleInstance | undefined> {
  const { spec } = ctx;
  return findIdleInstance(
    ctx.pools.home,
    ctx.provisionable,
    ctx.keys.privateKey,
    spec.idle_duration,
    spec.fleets,
    spec.instances,
    spec.pool_name,
    ctx.placement?.volumes.map((v) => v.name),
  );
}

export interface PlacementPlan {
  /** Names the new instance `<backend>-<token>` on every attempt. */
  token: string;
  /** What a new instance is made with. */
  limits: Omit<NewInstance, "name" | "attempt">;
  plan: Plan;
  /** The cost of the first attempt's offer (or of the reused instance). */
  cost: PlanCost;
  /** The cost once the job landed on `offer` (a failover may take a dearer one). */
  costAt: (offer: MatchedOffer) => PlanCost;
}

/** The plan shown before the question: no change for a reused instance, else the first attempt's diff; then the cost. */
export async function planPlacement(input: {
  ctx: ApplyContext;
  found: FoundPlacement;
  first: Attempt;
  attempts: readonly Attempt[];
  ui: { plan(text: string): void; cost?(cost: PlanCost): void };
  signal?: AbortSignal;
}): Promise<PlacementPlan> {
  const { ctx, first } = input;
  const { spec } = ctx;
  const { idle, poolName } = input.found;
  const token = instanceToken();
  const limits = {
    idle_duration: spec.idle_duration,
    max_price: spec.max_price,
    reservation: spec.reservation,
    pool_name: poolName,
    ...(ctx.placement === undefined ? {} : { volumes: ctx.placement.volumes }),
  };
  const plan: Plan =
    idle !== undefined
      ? { steps: [], unchanged: 1 }
      : await ctx.pools
          .forAttempt(first)
          .preview({ ...limits, name: instanceName(first.backend, token), attempt: first }, input.signal);
  input.ui.plan(
    idle !== undefined ? `Reusing idle instance ${idle.name}: no infrastructure changes.` : renderPlan(plan),
  );
  const priced = { home: ctx.pools.home, idleDuration: spec.idle_duration, reused: idle };
  const cost = runPlanCost({
    ...priced,
    offer: first.offer,
    alternatives: input.attempts.map((a) => a.offer),
  });
  input.ui.cost?.(cost);
  return {
    token,
    limits,
    plan,
    cost,
    costAt: (offer) => (offer === first.offer ? cost : runPlanCost({ ...priced, offer })),
  };
}
