// The background side of `apply -d` under `retry` (dstack _provision NAME): the same failover loop,
// resumed where the foreground left it (the next pass, the attempts so far, the wait already begun,
// the deadline from submission), with the pending record following every attempt and wait; once an
// instance is up, the run is submitted exactly as `apply` would. Whatever the outcome, the record
// says it: replaced by the run record, marked failed with the report, or removed when cancelled.
import type { RunSpec } from "../compiler/spec.js";
import { UserError } from "../errors.js";
import { attemptWhere } from "../planner/attempt-text.js";
import type { RunView } from "../runtime-agent/run-view.js";
import { setTimeout as delay } from "node:timers/promises";
import type { MatchedOffer } from "../catalog/offer.js";
import { instanceExists } from "../stacks/local/instance-ops.js";
import { applyContext, type ApplyContext } from "./apply-context.js";
import { LOCAL_POOL, updatePoolInstance, type InstanceAddress, type PoolContext } from "./local-pool.js";
import { cancelled } from "./run-start.js";
import { removePending, updatePending, type PendingRun } from "./pending-store.js";
import { provisionLocal } from "./provision-local.js";
import type { ProvisionTuning } from "./provision-tuning.js";
import { ProvisionFailed, type ProvisionState } from "./provision.js";
import { readPool, type RunRecord } from "./store.js";
import { submitRun } from "./submit.js";

export interface ResumeInput {
  /** The configuration compiled again from the original `apply` arguments. */
  spec: RunSpec;
  pending: PendingRun;
  pool: Omit<PoolContext, "publicKey">;
  baseImages: readonly string[];
  tuning?: ProvisionTuning;
  progress: (line: string) => void;
}

function follow(home: string, name: string, state: ProvisionState): void {
  if (state.kind === "attempting")
    updatePending(home, name, {
      attempts: state.attempts,
      pass: state.pass,
      trying: attemptWhere(state.attempt),
      next_try_at: null,
    });
  else
    updatePending(home, name, {
      attempts: state.attempts,
      pass: state.pass,
      trying: null,
      next_try_at: new Date(state.nextTryAt).toISOString(),
      reason: state.reason,
    });
}

/**
 * An error resubmission goes back to the instance its run failed on, after its backoff wait, if the
 * instance is still there (the reaper may have torn it down as idle meanwhile: then a new one is made).
 */
async function recordedInstance(
  ctx: ApplyContext,
  pending: PendingRun,
): Promise<{ value: InstanceAddress; attempt: { offer: MatchedOffer } } | undefined> {
  const { pool } = ctx;
  const offer = ctx.provisionable[0];
  if (pending.on_instance === undefined || offer === undefined) return undefined;
  const wait = pending.next_try_at === null ? 0 : Date.parse(pending.next_try_at) - Date.now();
  if (wait > 0)
    await delay(wait, undefined, pool.signal === undefined ? {} : { signal: pool.signal }).catch(() => {
      throw cancelled();
    });
  const instance = readPool(pool.home, LOCAL_POOL).instances.find((i) => i.name === pending.on_instance);
  if (instance?.ssh_port === undefined || instance.creator !== undefined || !instanceExists(instance.name))
    return undefined;
  // Claimed, so that the reaper leaves it alone while the run is placed (submitRun releases it).
  updatePoolInstance(pool.home, instance.name, { claimed_at: new Date().toISOString() });
  return {
    value: { name: instance.name, sshPort: instance.ssh_port, zone: instance.zone ?? null },
    attempt: { offer },
  };
}

export async function resumeApply(input: ResumeInput): Promise<{ run: RunRecord; view: RunView }> {
  const { pending } = input;
  const home = input.pool.home;
  try {
    const ctx = applyContext({ spec: input.spec, pool: input.pool });
    // The file is read again here: if it changed since `apply`, this is not the run that was confirmed.
    if (JSON.stringify(ctx.redacted) !== JSON.stringify(pending.spec))
      throw new UserError(
        "config-changed",
        `${pending.config_file} changed since \`dstack apply\`: not submitting a configuration that was not confirmed`,
        `apply it again (dstack apply -f ${pending.config_file})`,
      );
    const recorded = await recordedInstance(ctx, pending);
    const provisioned =
      recorded ??
      (await provisionLocal({
        pool: ctx.pool,
        instance: { name: pending.instance, idle_duration: ctx.spec.idle_duration },
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
      address: provisioned.value,
      placed: provisioned.attempt.offer,
      created: recorded === undefined,
      repoDir: pending.cwd,
      configFile: pending.config_file,
      baseImages: input.baseImages,
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
        reason:
          error instanceof ProvisionFailed
            ? error.stopped
              ? "provisioning stopped"
              : "no capacity within retry.duration"
            : "error",
        trying: null,
        next_try_at: null,
        message: error instanceof Error ? error.message : String(error),
      });
    throw error;
  }
}
