// The failover decisions, pure: what a failed attempt means (from the error table), which attempt of
// the plan comes next, and whether (and how long) to wait before planning again under `retry`.
import type { RetrySpec } from "../compiler/spec.js";
import type { Attempt } from "./attempt-plan.js";
import { backoffSeconds } from "./backoff.js";
import { classifyFailure } from "./classify-failure.js";
import type { ErrorDecision, ErrorKind } from "./error-table.js";
import { ATTEMPT_TIMEOUT, kindOfCode, type FailedTry } from "./failure-report.js";

export interface FailureOutcome {
  code: string | null;
  kind: ErrorKind | null;
  decision: ErrorDecision;
  /** What the cloud said, once: the message the table matched, else every message. */
  message: string;
}

/**
 * How a failed attempt is read, from what its providers said (classify-failure.ts). A timed-out
 * attempt moves on like a zonal capacity error (the Terraform-bridged AWS provider keeps retrying
 * exactly those). Messages the table does not know move on too, as dstack does with any failed
 * offer: the report shows them.
 */
export function failureOutcome(
  messages: readonly string[],
  backend: string,
  timedOut: boolean,
): FailureOutcome {
  const { entry, code, message } = classifyFailure(messages, backend);
  if (timedOut) return { code: ATTEMPT_TIMEOUT, kind: null, decision: "next-zone", message };
  if (entry === null) return { code: null, kind: null, decision: "next-zone", message };
  return { code, kind: entry.kind, decision: entry.decision, message };
}

const sameOffer = (a: Attempt, b: Attempt): boolean =>
  a.backend === b.backend &&
  a.region === b.region &&
  a.instance_type === b.instance_type &&
  a.spot === b.spot;

/**
 * The index of the attempt to make after `plan[from]` failed with `decision`; `plan.length` when none
 * is left. `retry` is the same attempt again, `stop` ends the plan.
 */
export function nextAttemptIndex(plan: readonly Attempt[], from: number, decision: ErrorDecision): number {
  const failed = plan[from];
  if (failed === undefined) return plan.length;
  const skip = (keep: (a: Attempt) => boolean): number => {
    for (let i = from + 1; i < plan.length; i++) if (keep(plan[i]!)) return i;
    return plan.length;
  };
  switch (decision) {
    case "retry":
      return from;
    case "stop":
      return plan.length;
    case "next-zone":
      return from + 1;
    case "next-region":
      return skip((a) => a.backend !== failed.backend || a.region !== failed.region);
    case "next-backend":
      return skip((a) => a.backend !== failed.backend);
  }
}

/** Whether the next attempt is another zone of the same offer (for the progress line). */
export function isNextZone(plan: readonly Attempt[], from: number, next: number): boolean {
  const a = plan[from];
  const b = plan[next];
  return a !== undefined && b !== undefined && sameOffer(a, b) && a.zone !== b.zone;
}

/**
 * A pass ended for lack of capacity when nothing could be tried (no offer matched), or when at least
 * one attempt failed for capacity, quota, throttling or its deadline: capacity may appear later. A pass
 * in which every attempt failed for reasons the table does not know is an error, not no-capacity.
 */
export function isNoCapacity(pass: readonly FailedTry[]): boolean {
  if (pass.length === 0) return true;
  return pass.some((t) => {
    if (t.code === ATTEMPT_TIMEOUT) return true;
    const kind = kindOfCode(t.code);
    return kind === "capacity" || kind === "quota" || kind === "transient";
  });
}

export interface RetryState {
  retry: RetrySpec | null;
  /** Epoch ms of the submission: `retry.duration` counts from it. */
  submittedAt: number;
  now: number;
  /** 1-based: the first retry waits backoffSeconds(1). */
  retryNumber: number;
  /** Multiplies the backoff schedule (a testing aid: DSTACK_BACKOFF_SCALE); 1 in real use. */
  scale: number;
}

/**
 * Milliseconds to wait before planning again, or null to fail now: only with `retry.on_events`
 * holding `no-capacity`, only after a no-capacity pass, and only while the retry falls within
 * `retry.duration` of the submission (as retrySchedule: a retry exactly at the end still happens).
 */
export function retryWaitMs(pass: readonly FailedTry[], s: RetryState): number | null {
  if (s.retry === null || !s.retry.on_events.includes("no-capacity") || !isNoCapacity(pass)) return null;
  const wait = Math.round(backoffSeconds(s.retryNumber) * 1000 * s.scale);
  return s.now + wait <= s.submittedAt + s.retry.duration * 1000 ? wait : null;
}
