// `dstack pool add`: an instance provisioned in advance (dstack 0.16 pools, seed 003), through the same
// pipeline as a run's: the matching offers of the configured backends, the infrastructure diff of the
// first attempt, confirmation, then the failover loop (retry included). It lands idle in the pool of the
// attempt's backend and region, where the next run that fits reuses it with no infrastructure change.
// Its idle_duration is the pool's default, 72h (`off`: never torn down), unless given.
import { planCost, type PlanCost } from "../catalog/plan-cost.js";
import type { TaskSpec } from "../compiler/spec.js";
import { renderPlan, type Plan } from "../engine/plan.js";
import { UserError } from "../errors.js";
import { renderAttemptPlan, type Attempt } from "../planner/attempt-plan.js";
import type { ProvisionTuning } from "../provisioning/provision-tuning.js";
import { applyContext } from "../runs/apply-context.js";
import type { ApplyUi } from "../runs/apply.js";
import { instanceToken } from "../runs/names.js";
import { poolForNewInstances } from "./named-pools.js";
import type { InstanceAddress } from "./pool.js";
import { listInstances } from "./pool-store.js";
import type { PoolSet } from "./pool-set.js";
import { instanceName, provisionInstance } from "./provision-instance.js";

/** A pool instance's idle_duration when none is given (dstack: 72h for `pool add`). */
export const POOL_ADD_IDLE_DEFAULT = 72 * 3600;

/** What `pool add` shows and asks: the same as a run's apply. */
export type AddInstanceUi = ApplyUi;

export interface AddInstanceInput {
  /** The requirements, as a task compiled from the flags (resources, backends, regions, spot, price, retry). */
  spec: TaskSpec;
  pools: PoolSet;
  /** `--name`: the instance's name instead of `<backend>-<token>` (unique among all instances). */
  name?: string;
  /** Seconds, or "off"; undefined: POOL_ADD_IDLE_DEFAULT. */
  idleDuration?: number | "off";
  ui: AddInstanceUi;
  dryRun?: boolean;
  tuning?: ProvisionTuning;
  signal?: AbortSignal;
}

export type AddInstanceResult =
  | { kind: "added"; instance: InstanceAddress; attempt: Attempt; plan: Plan; cost: PlanCost }
  | { kind: "declined" }
  | { kind: "dry-run"; plan: Plan; attempts: Attempt[]; cost: PlanCost };

export async function addInstance(input: AddInstanceInput): Promise<AddInstanceResult> {
  const submittedAt = Date.now();
  const home = input.pools.home;
  // Refused before any offer is shown: an unknown pool, a fleet's, or a name another instance has.
  const poolName = poolForNewInstances(home, input.spec.pool_name);
  if (input.name !== undefined && listInstances(home).some(({ instance }) => instance.name === input.name))
    throw new UserError(
      "instance-exists",
      `an instance named ${input.name} already exists`,
      "choose another --name (dstack pool ps lists the instances)",
    );
  const ctx = applyContext({ spec: input.spec, pools: input.pools });
  input.ui.offers(ctx.provisionable, ctx.requirements);
  const attempts = ctx.planNow();
  const first = attempts[0];
  if (first === undefined)
    throw new UserError(
      "no-offer",
      `no offer of a configured backend matches ${ctx.requirements}`,
      "relax the requirements, or configure the backend in ~/.dstack/config.yml (dstack offer lists them all)",
    );
  if (input.dryRun === true) input.ui.plan(`Attempt order:\n${renderAttemptPlan(attempts)}\n`);
  const token = instanceToken();
  const limits = {
    idle_duration: input.idleDuration ?? POOL_ADD_IDLE_DEFAULT,
    max_price: input.spec.max_price,
    reservation: input.spec.reservation,
    pool_name: poolName,
  };
  const name = (backend: string): string => input.name ?? instanceName(backend, token);
  const plan = await input.pools
    .forAttempt(first)
    .preview({ ...limits, name: name(first.backend), attempt: first }, input.signal);
  input.ui.plan(renderPlan(plan));
  // Idle from the start: at worst it is never used and costs its whole idle_duration.
  const priced = { instances: 1, idleDuration: limits.idle_duration };
  const cost = planCost({ ...priced, offer: first.offer, alternatives: attempts.map((a) => a.offer) });
  input.ui.cost?.(cost);
  if (input.dryRun === true) return { kind: "dry-run", plan, attempts, cost };
  if (!(await input.ui.confirm("Continue?"))) return { kind: "declined" };
  input.ui.progress(`Provisioning instance ${name(first.backend)} for pool ${poolName}...`);
  const provisioned = await provisionInstance({
    pools: input.pools,
    token,
    ...(input.name === undefined ? {} : { name: input.name }),
    instance: limits,
    plan: ctx.planNow,
    retry: input.spec.retry,
    submittedAt,
    tuning: input.tuning,
    signal: input.signal,
    subject: "no instance was added",
    progress: (line) => input.ui.progress(line),
    onState: (state) => input.ui.state?.(state),
  });
  // `add` claims the instance for the run that asked for it; here none did: it is idle at once.
  input.pools.forAttempt(provisioned.attempt).keepIdle(provisioned.value.name);
  const landed = provisioned.attempt.offer;
  return {
    kind: "added",
    instance: provisioned.value,
    attempt: provisioned.attempt,
    plan,
    cost: landed === first.offer ? cost : planCost({ ...priced, offer: landed }),
  };
}
