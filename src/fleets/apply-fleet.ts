// `dstack apply` of a cloud fleet as a library: offers, the attempt order, a real preview of the pool
// stack on the first attempt, confirmation, then `nodes.target` instances through the failover loop.
// dstack's fleet semantics: apply returns once the instances exist; the agents on them report later
// (here they cannot be reached, so the record says `provisioned`, with the addresses the stack gave).
import type { MatchedOffer } from "../catalog/offer.js";
import { planCost, type PlanCost } from "../catalog/plan-cost.js";
import { loadOffers } from "../catalog/offers.js";
import type { FleetSpec } from "../compiler/spec.js";
import { renderPlan, type Plan } from "../engine/plan.js";
import { removeStack } from "../engine/stack-runner.js";
import { noSupportedBackend } from "../compiler/normalize/backends.js";
import { UserError } from "../errors.js";
import { renderAttemptPlan, type Attempt } from "../planner/attempt-plan.js";
import type { FailedTry } from "../planner/failure-report.js";
import type { ProcessStamp } from "../process-identity.js";
import { randomRunName } from "../runs/names.js";
import { HandedOff } from "../provisioning/provision.js";
import type { ProvisionTuning } from "../provisioning/provision-tuning.js";
import type { PoolSet } from "../pools/pool-set.js";
import { listPools } from "../pools/pool-store.js";
import { listRuns } from "../runs/store.js";
import { fleetPlan } from "./fleet-plan.js";
import { fleetInstances, stackRef } from "./fleet-stack.js";
import { handOffFleet, pendingFleet } from "./pending-fleet.js";
import { provisionFleet } from "./provision-fleet.js";
import { listFleets, readFleet, type FleetRecord } from "./store.js";

export interface FleetApplyUi {
  offers(matched: readonly MatchedOffer[]): void;
  plan(text: string): void;
  cost?(cost: PlanCost): void;
  confirm(question: string): Promise<boolean>;
  progress(line: string): void;
}

export interface FleetApplyInput {
  spec: FleetSpec;
  configFile: string;
  /** The folder apply runs in: the background retrying compiles the configuration again there. */
  cwd: string;
  home: string;
  /** The fleet's pool is opened here, on the state backend the fleet is applied to. */
  pools: PoolSet;
  ui: FleetApplyUi;
  dryRun?: boolean;
  verbose?: boolean;
  tuning?: ProvisionTuning;
  signal?: AbortSignal;
  /**
   * `apply -d`: when the first pass finds no capacity and `retry` would wait, record the fleet as
   * pending, start the background process that carries on (dstack _provision-fleet NAME), and return.
   */
  detachRetry?: (pending: FleetRecord) => ProcessStamp;
}

export type FleetApplyResult =
  | {
      kind: "created";
      fleet: FleetRecord;
      plan: Plan;
      attempt: Attempt;
      tries: FailedTry[];
      cost: PlanCost;
    }
  | { kind: "pending"; fleet: FleetRecord; tries: FailedTry[] }
  | { kind: "declined" }
  | { kind: "dry-run"; plan: Plan; attempts: Attempt[]; cost: PlanCost };

/** The configuration's name, or a generated one that no fleet or run holds. */
function fleetName(spec: FleetSpec, home: string): string {
  if (spec.name === null) {
    const taken = new Set([...listFleets(home), ...listRuns(home)].map((r) => r.name));
    return randomRunName(taken);
  }
  const existing = readFleet(home, spec.name);
  const pool = listPools(home).find((p) => p.name === spec.name && p.fleet !== spec.name);
  if (pool !== undefined)
    throw new UserError(
      "fleet-name-taken",
      `${spec.name} is the name of a pool (${pool.instances.length} instance${pool.instances.length === 1 ? "" : "s"}), and a fleet is a pool`,
      "give the fleet another name",
    );
  if (existing !== undefined)
    throw new UserError(
      "fleet-exists",
      `fleet ${spec.name} already exists (${existing.status}, ${existing.instances.length} instance${existing.instances.length === 1 ? "" : "s"} on ${existing.backend} ${existing.region})`,
      `changing a fleet in place is not supported yet: dstack delete ${spec.name}, then apply again`,
    );
  return spec.name;
}

export async function applyFleet(input: FleetApplyInput): Promise<FleetApplyResult> {
  const submittedAt = Date.now();
  const { spec, ui } = input;
  const unsupported = noSupportedBackend(spec);
  if (unsupported !== undefined)
    throw new UserError("unsupported-backend", unsupported.message, unsupported.hint);
  const plan = fleetPlan(spec, loadOffers({ backends: spec.backends, home: input.home }).offers);
  ui.offers(plan.cloud);
  const attempts = plan.planNow();
  if (input.dryRun === true || input.verbose === true) {
    const local = plan.matched.length - plan.cloud.length;
    const note = local > 0 ? "\n (the local backend matches too; fleets are provisioned on clouds only)" : "";
    ui.plan(`Attempt order:\n${renderAttemptPlan(attempts)}${note}\n`);
  }
  const first = attempts[0];
  if (first === undefined)
    throw new UserError("no-offer", `no offer to try for ${plan.requirements}`, "relax the requirements");
  const name = fleetName(spec, input.home);

  // The infrastructure diff of the first attempt. Previewing a new stack creates it empty in the state;
  // it is removed at once, so a preview (and a declined or dry run) leaves nothing behind.
  const firstPool = input.pools.forFleet(name, first);
  const diff = await firstPool.previewAll(fleetInstances(spec, name, first), input.signal);
  await removeStack(firstPool.emptyTarget());
  ui.plan(renderPlan(diff));
  const n = spec.nodes.target;
  // Every node, idle at worst for the fleet's idle_duration before the reaper tears it down.
  const priced = { instances: n, idleDuration: spec.idle_duration };
  const cost = planCost({ ...priced, offer: first.offer, alternatives: attempts.map((a) => a.offer) });
  ui.cost?.(cost);
  if (input.dryRun === true) return { kind: "dry-run", plan: diff, attempts, cost };
  if (!(await ui.confirm(`Create the fleet ${name} (${n} instance${n === 1 ? "" : "s"})?`)))
    return { kind: "declined" };

  ui.progress(`Provisioning fleet ${name}: ${n} instance${n === 1 ? "" : "s"}...`);
  let provisioned;
  try {
    provisioned = await provisionFleet({
      home: input.home,
      pools: input.pools,
      plan,
      name,
      configFile: input.configFile,
      submittedAt,
      tuning: input.tuning,
      signal: input.signal,
      progress: (line) => ui.progress(line),
      handOff: input.detachRetry !== undefined,
    });
  } catch (error) {
    if (error instanceof HandedOff && input.detachRetry !== undefined) {
      const pending = pendingFleet(
        {
          name,
          spec,
          first,
          stack: stackRef(name, first, input.pools.ctx.engine.backend.url),
          requirements: plan.requirements,
          configFile: input.configFile,
          cwd: input.cwd,
          home: input.home,
          submittedAt,
        },
        error,
      );
      return {
        kind: "pending",
        fleet: handOffFleet(input.home, pending, input.detachRetry),
        tries: error.tries,
      };
    }
    throw error;
  }
  return {
    kind: "created",
    fleet: provisioned.value,
    plan: diff,
    attempt: provisioned.attempt,
    tries: provisioned.tries,
    cost:
      provisioned.attempt.offer === first.offer
        ? cost
        : planCost({ ...priced, offer: provisioned.attempt.offer }),
  };
}
