// The background side of `apply -d` under `retry` (dstack _provision NAME): the same failover loop,
// resumed where the foreground left it (the next pass, the attempts so far, the wait already begun,
// the deadline from submission), with the pending record following every attempt and wait; once an
// instance is up, the run is submitted exactly as `apply` would. Whatever the outcome, the record
// says it: replaced by the run record, marked failed with the report, or removed when cancelled.
import type { PrebuiltImageRef } from "./job-spec.js";
import type { RunSpec } from "../compiler/spec.js";
import { UserError } from "../errors.js";
import type { RunView } from "../runtime-agent/run-view.js";
import { setTimeout as delay } from "node:timers/promises";
import type { MatchedOffer } from "../catalog/offer.js";
import { instanceExists } from "../stacks/local/instance-ops.js";
import { applyContext, type ApplyContext } from "./apply-context.js";
import { LOCAL_POOL } from "../pools/local/local-pool.js";
import { addressOf, type InstanceAddress } from "../pools/pool.js";
import type { PoolSet } from "../pools/pool-set.js";
import { listInstances, updatePoolInstance } from "../pools/pool-store.js";
import { poolForNewInstances } from "../pools/named-pools.js";
import { fittingOffer } from "../pools/reuse.js";
import { claimIdleFor } from "./instance-placement.js";
import { cancelled } from "../provisioning/cancelled.js";
import { removePending, updatePending, type PendingRun } from "./pending-store.js";
import { provisionInstance } from "../pools/provision-instance.js";
import type { ProvisionTuning } from "../provisioning/provision-tuning.js";
import type { ProvisionState } from "../provisioning/provision.js";
import { retryingFailure, retryingProgress } from "../provisioning/retrying-progress.js";
import type { RunRecord } from "./store.js";
import { submitRun } from "./submit.js";
import { mayCreate, noIdleInstance } from "./fleet-placement.js";
import { refuseHeldVolumes } from "../volumes/run-placement.js";

export interface ResumeInput {
  /** The configuration compiled again from the original `apply` arguments. */
  spec: RunSpec;
  pending: PendingRun;
  pools: PoolSet;
  baseImages: () => readonly string[];
  /** The prebuilt image of the spec's `build`, looked up again by the caller. */
  image?: PrebuiltImageRef;
  /** SIGTERM from `dstack stop`: the attempt under way is cancelled and cleaned up. */
  signal?: AbortSignal;
  tuning?: ProvisionTuning;
  progress: (line: string) => void;
}

const follow = (home: string, name: string, state: ProvisionState): void =>
  void updatePending(home, name, retryingProgress(state));

/**
 * An error resubmission goes back to the instance its run failed on, after its backoff wait, if the
 * instance is still there (the reaper may have torn it down as idle meanwhile: then a new one is made).
 */
async function recordedInstance(
  ctx: ApplyContext,
  pending: PendingRun,
  signal: AbortSignal | undefined,
): Promise<{ value: InstanceAddress; attempt: { offer: MatchedOffer } } | undefined> {
  if (pending.on_instance === undefined) return undefined;
  const wait = pending.next_try_at === null ? 0 : Date.parse(pending.next_try_at) - Date.now();
  if (wait > 0)
    await delay(wait, undefined, signal === undefined ? {} : { signal }).catch(() => {
      throw cancelled(`the run ${pending.name} was not submitted`);
    });
  const found = listInstances(ctx.pools.home).find(({ instance }) => instance.name === pending.on_instance);
  if (found === undefined || found.instance.creator !== undefined) return undefined;
  const { pool, instance } = found;
  const address = addressOf(pool.name, instance);
  const offer = fittingOffer(pool, instance, ctx.provisionable) ?? ctx.provisionable[0];
  // A local instance's container may be gone without the pool knowing yet (the reaper notices later).
  if (
    address === undefined ||
    offer === undefined ||
    (pool.name === LOCAL_POOL && !instanceExists(instance.name))
  )
    return undefined;
  // Claimed, so that the reaper leaves it alone while the run is placed (submitRun releases it).
  updatePoolInstance(ctx.pools.home, pool.name, instance.name, { claimed_at: new Date().toISOString() });
  return { value: address, attempt: { offer } };
}

/**
 * A run kept to fleets (`fleets: [NAME]`) or to reuse (`creation_policy: reuse`) is resubmitted only
 * onto an idle instance it may use, never onto a new one; undefined when it may create.
 */
async function reuseOnly(
  ctx: ApplyContext,
  signal: AbortSignal | undefined,
): Promise<{ value: InstanceAddress; attempt: { offer: MatchedOffer } } | undefined> {
  const { spec } = ctx;
  if (mayCreate(spec)) return undefined;
  signal?.throwIfAborted();
  const home = ctx.pools.home;
  const idle = await claimIdleFor(ctx);
  if (idle === undefined) throw noIdleInstance(home, spec, ctx.requirements);
  // The claim's session is not handed on here: the submission opens its own.
  idle.session.close();
  return { value: idle, attempt: { offer: idle.offer } };
}

/** Records written before clouds ran runs keep a whole instance name (`local-ab12cd`): its token. */
const tokenOf = (instance: string): string => instance.replace(/^[a-z]+-/, "");

export async function resumeApply(input: ResumeInput): Promise<{ run: RunRecord; view: RunView }> {
  const { pending } = input;
  const home = input.pools.home;
  try {
    const ctx = applyContext({ spec: input.spec, pools: input.pools });
    // The file is read again here: if it changed since `apply`, this is not the run that was confirmed.
    if (JSON.stringify(ctx.redacted) !== JSON.stringify(pending.spec))
      throw new UserError(
        "config-changed",
        `${pending.config_file} changed since \`dstack apply\`: not submitting a configuration that was not confirmed`,
        `apply it again (dstack apply -f ${pending.config_file})`,
      );
    const recorded =
      (await recordedInstance(ctx, pending, input.signal)) ?? (await reuseOnly(ctx, input.signal));
    // A volume attached to another instance cannot be attached to a new one.
    if (recorded === undefined && ctx.placement !== undefined) refuseHeldVolumes(home, ctx.placement);
    const provisioned =
      recorded ??
      (await provisionInstance({
        pools: ctx.pools,
        token: tokenOf(pending.instance),
        instance: {
          idle_duration: ctx.spec.idle_duration,
          max_price: ctx.spec.max_price,
          reservation: ctx.spec.reservation,
          pool_name: poolForNewInstances(home, ctx.spec.pool_name),
          ...(ctx.placement === undefined ? {} : { volumes: ctx.placement.volumes }),
        },
        signal: input.signal,
        subject: `the run ${pending.name} was not submitted`,
        plan: ctx.planNow,
        retry: ctx.spec.retry,
        submittedAt: Date.parse(pending.submitted_at),
        tuning: input.tuning,
        progress: input.progress,
        onState: (state) => follow(home, pending.name, state),
        resume: {
          pass: pending.pass + 1,
          attempts: pending.attempts,
          startAt: pending.next_try_at === null ? Date.now() : Date.parse(pending.next_try_at),
        },
      }));
    updatePending(home, pending.name, { trying: null, reason: "submitting" });
    const submitted = await submitRun({
      ctx,
      name: pending.name,
      ...(pending.owner === undefined ? {} : { owner: pending.owner }),
      address: provisioned.value,
      placed: provisioned.attempt.offer,
      created: recorded === undefined,
      repoDir: pending.cwd,
      configFile: pending.config_file,
      baseImages: input.baseImages(),
      ...(input.image === undefined ? {} : { image: input.image }),
      signal: input.signal,
      ui: { progress: input.progress },
      resubmissions: pending.resubmissions,
      resubmittedAfter: pending.resubmitted_after,
      firstSubmittedAt: pending.first_submitted_at,
    });
    removePending(home, pending.name);
    return submitted;
  } catch (error) {
    if (error instanceof UserError && error.code === "cancelled") removePending(home, pending.name);
    else
      updatePending(home, pending.name, {
        status: "failed",
        reason: retryingFailure(error),
        trying: null,
        next_try_at: null,
        message: error instanceof Error ? error.message : String(error),
      });
    throw error;
  }
}
