// `dstack apply` as a library: offers, the infrastructure plan, confirmation, provisioning (or reuse of
// an idle instance, or an in-place update), submission to the agent, repo upload, and SSH access. With
// `detachRetry` (apply -d under `retry`), a first pass without capacity hands the retrying to a
// background process and returns the pending run.
import type { PrebuiltImageRef } from "./job-spec.js";
import type { MatchedOffer } from "../catalog/offer.js";
import type { PlanCost } from "../catalog/plan-cost.js";
import type { RunSpec } from "../compiler/spec.js";
import type { Plan } from "../engine/plan.js";
import { UserError } from "../errors.js";
import { renderAttemptPlan, type Attempt } from "../planner/attempt-plan.js";
import type { InstanceAddress } from "../pools/pool.js";
import type { PoolSet } from "../pools/pool-set.js";
import { updatePoolInstance } from "../pools/pool-store.js";
import { instanceName, provisionInstance } from "../pools/provision-instance.js";
import { stampAlive, type ProcessStamp } from "../process-identity.js";
import { HandedOff, type ProvisionState } from "../provisioning/provision.js";
import type { ProvisionTuning } from "../provisioning/provision-tuning.js";
import type { RunView } from "../runtime-agent/run-view.js";
import { applyContext, type ApplyContext } from "./apply-context.js";
import { checkLocalPaths } from "./code-upload.js";
import { findPlacement, planPlacement } from "./instance-placement.js";
import { handOffRetrying } from "./hand-off.js";
import { updateInPlace } from "./in-place.js";
import { randomRunName } from "./names.js";
import { pendingStatus } from "./pending-status.js";
import { listPending, readPending, removePending, type PendingRun } from "./pending-store.js";
import { listRuns, readRun, type RunRecord } from "./store.js";
import { submitRun } from "./submit.js";
import { checkRunVolumes } from "../volumes/run-volumes.js";
import { noPlacedOffer, placementNote, refuseHeldVolumes } from "../volumes/run-placement.js";

export interface ApplyUi {
  offers(matched: readonly MatchedOffer[], requirements: string): void;
  plan(text: string): void;
  /** What the plan costs (per hour, and at worst while idle), after the diff and before the question. */
  cost?(cost: PlanCost): void;
  confirm(question: string): Promise<boolean>;
  progress(line: string): void;
  /** Structured provisioning states (an attempt starts, a wait for capacity), beside the progress text. */
  state?(state: ProvisionState): void;
}

export interface ApplyInput {
  spec: RunSpec;
  configFile: string;
  repoDir: string;
  pools: PoolSet;
  /** The workload base images present here (asked only when a run is submitted). */
  baseImages: () => readonly string[];
  /** The prebuilt image of the spec's `build`, found (or built) before the plan: the run's image. */
  image?: PrebuiltImageRef;
  ui: ApplyUi;
  /** The user's Ctrl-C. */
  signal?: AbortSignal;
  /** Show the plan and stop before anything changes. */
  dryRun?: boolean;
  verbose?: boolean;
  /** The per-attempt deadline and the backoff scale (provisionTuning(env)); defaults: 10m and 1. */
  tuning?: ProvisionTuning;
  /**
   * `apply -d`: when the first pass finds no capacity and `retry` would wait, start the background
   * process that carries on (dstack _provision NAME) and return the pending run.
   */
  detachRetry?: (pending: PendingRun) => ProcessStamp;
}

export type ApplyResult =
  | { kind: "submitted"; run: RunRecord; view: RunView; reused: string | null; plan: Plan; cost: PlanCost }
  | { kind: "updated"; run: RunRecord; changed: string[] }
  | { kind: "pending"; pending: PendingRun }
  | { kind: "declined" }
  | { kind: "dry-run"; plan: Plan; attempts: Attempt[]; cost: PlanCost };

/** A name held by a run still retrying in the background cannot be applied again until it is stopped. */
function refusePending(home: string, name: string): void {
  const pending = readPending(home, name);
  if (pending === undefined) return;
  const alive = pending.process !== null && stampAlive(pending.process);
  const status = pendingStatus(pending, alive, Date.now());
  if (status.status === "failed") return removePending(home, name);
  throw new UserError(
    "run-pending",
    `run ${name} is ${status.text}`,
    `dstack stop ${name} cancels it; its log: ${pending.log_file}`,
  );
}

/** Nothing to try: say which requirement or which backend configuration is in the way. */
export function noOffer(ctx: ApplyContext): UserError {
  const { matched } = ctx;
  if (ctx.placement !== undefined) return noPlacedOffer(ctx.placement, ctx.requirements, ctx.unplaced);
  const configured = new Set(ctx.provisionable.map((o) => o.backend));
  const elsewhere = [...new Set(matched.map((o) => o.backend))].filter((b) => !configured.has(b));
  if (elsewhere.length > 0)
    return new UserError(
      "no-offer",
      `no configured backend matches ${ctx.requirements}; ${matched.length} offer${matched.length === 1 ? "" : "s"} of ${elsewhere.join(", ")} match, but ~/.dstack/config.yml does not configure ${elsewhere.length === 1 ? "it" : "them"}`,
      `add the backend to ~/.dstack/config.yml (backends: [{type: ${elsewhere[0]!}}]), or relax the resources (dstack offer -b local shows this machine)`,
    );
  return new UserError(
    "no-offer",
    `this machine (the local backend) does not match ${ctx.requirements}`,
    "relax the resources (dstack offer -b local shows this machine), or drop a GPU requirement",
  );
}

export async function apply(input: ApplyInput): Promise<ApplyResult> {
  const submittedAt = Date.now();
  const ctx = applyContext({ spec: input.spec, pools: input.pools });
  const { spec, keys, matched, provisionable, planNow } = ctx;
  const home = input.pools.home;

  checkLocalPaths({ spec, repoDir: input.repoDir, configFile: input.configFile });
  for (const warning of checkRunVolumes(home, spec)) input.ui.progress(warning);
  input.ui.offers(matched, ctx.requirements);
  if (ctx.placement !== undefined) input.ui.progress(placementNote(ctx.placement));
  const attempts = planNow();
  if (input.dryRun === true || input.verbose === true) {
    const others = matched.length - provisionable.length;
    const note =
      others > 0
        ? `\n (${others} more offer${others === 1 ? "" : "s"} match on backends ~/.dstack/config.yml does not configure)`
        : "";
    input.ui.plan(`Attempt order:\n${renderAttemptPlan(attempts)}${note}\n`);
  }
  const first = attempts[0];
  if (first === undefined) throw noOffer(ctx);

  const taken = new Set([...listRuns(home), ...listPending(home)].map((r) => r.name));
  const name = spec.name ?? randomRunName(taken);
  refusePending(home, name);
  const existing = readRun(home, name);
  if (existing !== undefined) {
    const update = await updateInPlace(home, existing, ctx.redacted, keys.privateKey, input.ui);
    if (update !== undefined) return update;
  }

  const found = await findPlacement(ctx);
  const { idle } = found;
  // A volume attached to another instance cannot be attached to a new one.
  if (idle === undefined && ctx.placement !== undefined) refuseHeldVolumes(home, ctx.placement);
  // The claim's session to the agent goes on to the submission; closed here whatever happens.
  try {
    const { token, limits, plan, cost, costAt } = await planPlacement({
      ctx,
      found,
      first,
      attempts,
      ui: input.ui,
      signal: input.signal,
    });
    if (input.dryRun === true) {
      if (idle !== undefined) updatePoolInstance(home, idle.pool, idle.name, { claimed_at: undefined });
      return { kind: "dry-run", plan, attempts, cost };
    }
    if (!(await input.ui.confirm(`Submit the run ${name}?`))) {
      if (idle !== undefined) updatePoolInstance(home, idle.pool, idle.name, { claimed_at: undefined });
      return { kind: "declined" };
    }

    let address: InstanceAddress;
    let placed: MatchedOffer = idle?.offer ?? first.offer;
    if (idle !== undefined) address = idle;
    else {
      input.ui.progress(`Provisioning instance ${instanceName(first.backend, token)}...`);
      const provisioned = await provisionInstance({
        pools: input.pools,
        token,
        instance: limits,
        plan: planNow,
        retry: spec.retry,
        submittedAt,
        tuning: input.tuning,
        signal: input.signal,
        subject: `the run ${name} was not submitted`,
        progress: (line) => input.ui.progress(line),
        onState: (state) => input.ui.state?.(state),
        handOff: input.detachRetry !== undefined,
      }).catch((error: unknown) => {
        if (!(error instanceof HandedOff) || input.detachRetry === undefined) throw error;
        const pending = handOffRetrying({
          ctx,
          name,
          instance: instanceName(first.backend, token),
          submittedAt,
          configFile: input.configFile,
          repoDir: input.repoDir,
          handed: error,
          start: input.detachRetry,
        });
        return { pending };
      });
      if ("pending" in provisioned) return { kind: "pending", pending: provisioned.pending };
      address = provisioned.value;
      placed = provisioned.attempt.offer;
    }
    const { run, view } = await submitRun({
      ctx,
      name,
      address,
      placed,
      created: idle === undefined,
      repoDir: input.repoDir,
      configFile: input.configFile,
      baseImages: input.baseImages(),
      ...(input.image === undefined ? {} : { image: input.image }),
      ...(idle === undefined ? {} : { session: idle.session }),
      signal: input.signal,
      ui: input.ui,
    });
    // What it costs where it landed (a failover may have taken a dearer offer than the plan's).
    return { kind: "submitted", run, view, reused: idle?.name ?? null, plan, cost: costAt(placed) };
  } finally {
    idle?.session.close();
  }
}
