// Interruption (dstack's `interruption` retry event): an instance that disappears while its runs are
// active (a spot instance reclaimed; here, its container removed). The reaper notices it by asking the
// backend whether the instance still exists, not by an unanswered agent (which may just be slow),
// updates the pool stack without it (deleting what the instance left, e.g. its runs' containers),
// and then, per run: with `retry.on_events` holding `interruption`, resubmits it on a new instance
// through the same background process as a pending `apply -d`; without, marks it interrupted.
import { REDACTED } from "../compiler/secret.js";
import type { ProcessStamp } from "../process-identity.js";
import type { PoolSet } from "../pools/pool-set.js";
import type { StackPool } from "../pools/stack-pool.js";
import { instanceToken } from "./names.js";
import { provisionLogFile } from "../home/paths.js";
import { orIfUnreadable } from "../home/record-store.js";
import { removePending, writePending, type PendingRun } from "./pending-store.js";
import { readRun, writeRun, type RunRecord } from "./store.js";

export type Resubmission = { resubmit: true } | { resubmit: false; why: string };

/** Values dstack does not keep (-e values, registry passwords) show redacted: such a run cannot be rerun. */
function holdsSecrets(spec: Record<string, unknown>): boolean {
  const env = (spec.env ?? {}) as Record<string, unknown>;
  return spec.registry_auth != null || Object.values(env).some((v) => v === REDACTED);
}

/** Whether an interrupted run is resubmitted. Pure. */
export function resubmission(run: RunRecord): Resubmission {
  const retry = run.spec.retry as { on_events?: string[] } | null | undefined;
  if (retry?.on_events?.includes("interruption") !== true)
    return { resubmit: false, why: "retry.on_events has no interruption" };
  return rerunnable(run);
}

/** Whether the record holds all a resubmission needs (any event's). Pure. */
export function rerunnable(run: RunRecord): Resubmission {
  if (run.repo_dir === undefined)
    return { resubmit: false, why: "its record predates resubmission (no repository folder)" };
  if (holdsSecrets(run.spec))
    return {
      resubmit: false,
      why: "its configuration holds secrets (-e values or registry credentials), which dstack does not keep; apply it again",
    };
  return { resubmit: true };
}

/** The pending record of a resubmission: a new submission, so retry.duration counts from now. */
export function resubmissionRecord(
  run: RunRecord,
  home: string,
  backendUrl: string,
  now: number,
): PendingRun {
  const retry = run.spec.retry as { duration?: number } | null | undefined;
  return {
    name: run.name,
    type: run.type,
    backend: run.backend,
    status: "pending",
    reason: "interrupted",
    attempts: 0,
    pass: 0,
    next_try_at: new Date(now).toISOString(),
    trying: null,
    process: null,
    instance: `${run.backend}-${instanceToken()}`,
    resources: run.resources,
    submitted_at: new Date(now).toISOString(),
    retry_until: new Date(now + (retry?.duration ?? 0) * 1000).toISOString(),
    config_file: run.config_file,
    cwd: run.repo_dir ?? "",
    backend_url: backendUrl,
    log_file: provisionLogFile(home, run.name),
    spec: run.spec,
    resubmissions: (run.resubmissions ?? 0) + 1,
    resubmitted_after: "interruption",
    // Still the submitter's run, whichever teammate's reaper resubmits it.
    ...(run.owner === undefined ? {} : { owner: run.owner }),
  };
}

export interface Interrupted {
  instance: string;
  runs: { name: string; resubmitted: boolean; why?: string }[];
}

export async function handleInterruptions(
  pools: PoolSet,
  /** Starts the background process of a resubmission (dstack _provision NAME). */
  start: (pending: PendingRun) => ProcessStamp,
  now = Date.now(),
  /** Which pools to look at (all by default). */
  include: (pool: StackPool) => boolean = () => true,
): Promise<Interrupted[]> {
  const handled: Interrupted[] = [];
  const home = pools.home;
  const backendUrl = pools.ctx.engine.backend.url;
  for (const pool of pools.withInstances().filter(include))
    for (const instance of await pool.vanished()) {
      const runs = (instance.active_runs ?? [])
        .map((name) => orIfUnreadable(() => readRun(home, name), undefined))
        .filter((r): r is RunRecord => r?.instance === instance.name && r.interrupted_at === undefined);
      // The stack still lists it: updated without it (deleting what it left), as a refresh confirmed.
      await pool.remove(instance.name);
      const outcome: Interrupted = { instance: instance.name, runs: [] };
      for (const run of runs) {
        let decision = resubmission(run);
        if (decision.resubmit) {
          const pending = resubmissionRecord(run, home, backendUrl, now);
          writePending(home, pending);
          try {
            writePending(home, { ...pending, process: start(pending) });
            outcome.runs.push({ name: run.name, resubmitted: true });
            continue;
          } catch (error) {
            removePending(home, run.name);
            const why = error instanceof Error ? error.message : String(error);
            decision = { resubmit: false, why: `the resubmission could not start: ${why}` };
          }
        }
        writeRun(home, { ...run, interrupted_at: new Date(now).toISOString() });
        outcome.runs.push({ name: run.name, resubmitted: false, why: decision.why });
      }
      handled.push(outcome);
    }
  return handled;
}
