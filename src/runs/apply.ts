// `dstack apply` as a library: offers, the infrastructure plan, confirmation, provisioning (or reuse of
// an idle instance, or an in-place update), submission to the agent, repo upload, and SSH access. With
// `detachRetry` (apply -d under `retry`), a first pass without capacity hands the retrying to a
// background process and returns the pending run.
import type { MatchedOffer } from "../catalog/offer.js";
import type { RunSpec } from "../compiler/spec.js";
import { renderPlan, type Plan } from "../engine/plan.js";
import { renderAttemptPlan, type Attempt } from "../planner/attempt-plan.js";
import { stampAlive, type ProcessStamp } from "../process-identity.js";
import type { ProvisionTuning } from "./provision-tuning.js";
import { provisionLocal } from "./provision-local.js";
import { UserError } from "../errors.js";
import type { RunView } from "../runtime-agent/run-view.js";
import { applyContext } from "./apply-context.js";
import { handOffRetrying } from "./hand-off.js";
import { updateInPlace } from "./in-place.js";
import {
  newInstanceName,
  previewAdd,
  updatePoolInstance,
  type InstanceAddress,
  type PoolContext,
} from "./local-pool.js";
import { randomRunName } from "./names.js";
import { pendingStatus } from "./pending-status.js";
import { listPending, readPending, removePending, type PendingRun } from "./pending-store.js";
import { HandedOff } from "./provision.js";
import { findIdleInstance } from "./reuse.js";
import { listRuns, readRun, type RunRecord } from "./store.js";
import { submitRun } from "./submit.js";

export interface ApplyUi {
  offers(matched: readonly MatchedOffer[], requirements: string): void;
  plan(text: string): void;
  confirm(question: string): Promise<boolean>;
  progress(line: string): void;
}

export interface ApplyInput {
  spec: RunSpec;
  configFile: string;
  repoDir: string;
  pool: Omit<PoolContext, "publicKey">;
  baseImages: readonly string[];
  ui: ApplyUi;
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
  | { kind: "submitted"; run: RunRecord; view: RunView; reused: string | null; plan: Plan }
  | { kind: "updated"; run: RunRecord; changed: string[] }
  | { kind: "pending"; pending: PendingRun }
  | { kind: "declined" }
  | { kind: "dry-run"; plan: Plan; attempts: Attempt[] };

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

export async function apply(input: ApplyInput): Promise<ApplyResult> {
  const submittedAt = Date.now();
  const ctx = applyContext({ spec: input.spec, pool: input.pool });
  const { spec, pool, keys, matched, provisionable, planNow } = ctx;
  const home = pool.home;

  input.ui.offers(matched, ctx.requirements);
  const attempts = planNow();
  if (input.dryRun === true || input.verbose === true) {
    const others = matched.length - provisionable.length;
    const note =
      others > 0
        ? `\n (${others} cloud offer${others === 1 ? "" : "s"} match too; runs provision on the local backend only, fleets on the clouds)`
        : "";
    input.ui.plan(`Attempt order:\n${renderAttemptPlan(attempts)}${note}\n`);
  }
  const offer = provisionable[0];
  if (offer === undefined) {
    const elsewhere =
      matched.length > 0
        ? `; ${matched.length} cloud offers match, but runs provision on the local backend only so far (a \`type: fleet\` configuration creates instances on the clouds)`
        : "";
    throw new UserError(
      "no-offer",
      `this machine (the local backend) does not match ${ctx.requirements}${elsewhere}`,
      "relax the resources (dstack offer -b local shows this machine), or drop a GPU requirement",
    );
  }

  const taken = new Set([...listRuns(home), ...listPending(home)].map((r) => r.name));
  const name = spec.name ?? randomRunName(taken);
  refusePending(home, name);
  const existing = readRun(home, name);
  if (existing !== undefined) {
    const update = await updateInPlace(home, existing, ctx.redacted, keys.privateKey, input.ui);
    if (update !== undefined) return update;
  }

  const idle = await findIdleInstance(pool, keys.privateKey, spec.idle_duration);
  const instanceName = idle?.name ?? newInstanceName();
  const plan: Plan =
    idle !== undefined
      ? { steps: [], unchanged: 1 }
      : await previewAdd(pool, { name: instanceName, zone: attempts[0]?.zone ?? null });
  input.ui.plan(
    idle !== undefined ? `Reusing idle instance ${idle.name}: no infrastructure changes.` : renderPlan(plan),
  );
  if (input.dryRun === true) {
    if (idle !== undefined) updatePoolInstance(home, idle.name, { claimed_at: undefined });
    return { kind: "dry-run", plan, attempts };
  }
  if (!(await input.ui.confirm(`Submit the run ${name}?`))) return { kind: "declined" };

  let address: InstanceAddress;
  let placed = offer;
  if (idle !== undefined) address = idle;
  else {
    input.ui.progress(`Provisioning instance ${instanceName}...`);
    const provisioned = await provisionLocal({
      pool,
      instance: { name: instanceName, idle_duration: spec.idle_duration },
      plan: planNow,
      retry: spec.retry,
      submittedAt,
      tuning: input.tuning,
      progress: (line) => input.ui.progress(line),
      handOff: input.detachRetry !== undefined,
    }).catch((error: unknown) => {
      if (!(error instanceof HandedOff) || input.detachRetry === undefined) throw error;
      const pending = handOffRetrying({
        ctx,
        name,
        instance: instanceName,
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
    baseImages: input.baseImages,
    ui: input.ui,
  });
  return { kind: "submitted", run, view, reused: idle?.name ?? null, plan };
}
