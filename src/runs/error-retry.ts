// dstack's `error` retry event: a run that failed (its container exited non-zero) is submitted again,
// under `retry.on_events: [error]`, after the resubmission backoff (15s, 30s, 1m, 2m, 5m, then 10m) and
// for as long as `retry.duration` allows, counted from the first submission so that a run failing
// every time stops being retried. The reaper notices the failure from the agent's answer (it does
// not need the terminal that started the run) and hands the resubmission to the same background
// process as a pending `apply -d`, pointed at the instance the run failed on: it is alive and now
// idle, so no new instance is needed unless the reaper tore it down meanwhile.
import { orIfUnreadable } from "../home/record-store.js";
import { backoffSeconds } from "../planner/backoff.js";
import type { RunView } from "../runtime-agent/run-view.js";
import type { ProcessStamp } from "../process-identity.js";
import { rerunnable, resubmissionRecord } from "./interruption.js";
import { readPending, removePending, writePending, type PendingRun } from "./pending-store.js";
import { readRun, writeRun, type RunRecord } from "./store.js";

export type ErrorResubmission = { resubmit: true; at: number } | { resubmit: false; why: string };

/** When a run's retrying began: its first submission (a resubmission keeps it). */
const firstSubmission = (run: RunRecord): number => Date.parse(run.first_submitted_at ?? run.submitted_at);

/**
 * Whether a run the agent reports as failed is submitted again, and when. Pure. `view` is what the
 * agent says of the run now; `scale` multiplies the backoff (DSTACK_BACKOFF_SCALE, a testing aid).
 */
export function errorResubmission(run: RunRecord, view: RunView, scale = 1): ErrorResubmission {
  if (view.status !== "failed" || view.stop_reason !== "error")
    return { resubmit: false, why: `the run is ${view.status}, not failed with an error` };
  const retry = run.spec.retry as { on_events?: string[]; duration?: number } | null | undefined;
  if (retry?.on_events?.includes("error") !== true)
    return { resubmit: false, why: "retry.on_events has no error" };
  const possible = rerunnable(run);
  if (!possible.resubmit) return possible;
  const finished = view.finished_at === null ? Date.now() : Date.parse(view.finished_at);
  const at = finished + backoffSeconds((run.resubmissions ?? 0) + 1) * 1000 * scale;
  const until = firstSubmission(run) + (retry.duration ?? 0) * 1000;
  if (at > until)
    return {
      resubmit: false,
      why: `retry.duration (${retry.duration ?? 0}s from the first submission) is used up`,
    };
  return { resubmit: true, at };
}

/** The pending record of an error resubmission: same instance, the wait ahead, the first submission kept. */
export function errorResubmissionRecord(
  run: RunRecord,
  view: RunView,
  home: string,
  backendUrl: string,
  at: number,
  now: number,
): PendingRun {
  const base = resubmissionRecord(run, home, backendUrl, now);
  const retry = run.spec.retry as { duration?: number } | null | undefined;
  const first = firstSubmission(run);
  return {
    ...base,
    reason: `failed: ${view.message ?? "error"}; resubmission ${base.resubmissions ?? 1}`,
    next_try_at: new Date(at).toISOString(),
    retry_until: new Date(first + (retry?.duration ?? 0) * 1000).toISOString(),
    first_submitted_at: new Date(first).toISOString(),
    on_instance: run.instance,
    resubmitted_after: "error",
  };
}

export interface FailedRunOutcome {
  name: string;
  resubmitted: boolean;
  why?: string;
}

/**
 * The reaper's pass over what one instance's agent reported: each failed run of ours that retry covers
 * gets a pending resubmission (once: a pending record of that name means it is already handled).
 */
export function handleFailedRuns(
  home: string,
  instance: string,
  views: readonly RunView[],
  backendUrl: string,
  start: (pending: PendingRun) => ProcessStamp,
  scale = 1,
  now = Date.now(),
): FailedRunOutcome[] {
  const outcomes: FailedRunOutcome[] = [];
  for (const view of views) {
    if (view.status !== "failed") continue;
    // A record that cannot be read is left alone (ps names it): as if not ours, or already pending.
    const run = orIfUnreadable(() => readRun(home, view.name), undefined);
    // Not ours to retry: a run of that name placed elsewhere since, or one already handled.
    if (run?.instance !== instance || run.interrupted_at !== undefined) continue;
    const waiting = orIfUnreadable(() => readPending(home, view.name), "unreadable");
    if (waiting !== undefined || run.error_retry_ended !== undefined) continue;
    const decision = errorResubmission(run, view, scale);
    if (!decision.resubmit) {
      // Said once: the record remembers that retrying ended, so later passes stay quiet.
      if (decision.why.startsWith("retry.duration")) {
        writeRun(home, { ...run, error_retry_ended: new Date(now).toISOString() });
        outcomes.push({ name: run.name, resubmitted: false, why: decision.why });
      }
      continue;
    }
    const pending = errorResubmissionRecord(run, view, home, backendUrl, decision.at, now);
    writePending(home, pending);
    try {
      writePending(home, { ...pending, process: start(pending) });
      outcomes.push({ name: run.name, resubmitted: true });
    } catch (error) {
      removePending(home, run.name);
      const why = error instanceof Error ? error.message : String(error);
      outcomes.push({ name: run.name, resubmitted: false, why: `the resubmission could not start: ${why}` });
    }
  }
  return outcomes;
}
