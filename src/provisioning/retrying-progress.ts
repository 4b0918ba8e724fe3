// What a record of background retrying (a pending run, a pending fleet) keeps of the loop's state, so
// that `ps` can say `pending (no capacity, attempt 7, next try in 2m)` or `trying aws us-east-1 ...`.
// One mapping for every kind of record the loop carries on, and one wording of why it ended.
import { attemptWhere } from "../planner/attempt-text.js";
import { UserError } from "../errors.js";
import { ProvisionFailed, type ProvisionState } from "./provision.js";

export interface RetryingProgress {
  pass: number;
  attempts: number;
  /** While an attempt runs: where, e.g. "aws us-east-1 use1-az2". */
  trying: string | null;
  /** When the next pass starts (ISO); null while a pass runs. */
  next_try_at: string | null;
  /** Why it waits (set while waiting; an attempt keeps the last reason). */
  reason?: string;
}

export function retryingProgress(state: ProvisionState): RetryingProgress {
  return state.kind === "attempting"
    ? { pass: state.pass, attempts: state.attempts, trying: attemptWhere(state.attempt), next_try_at: null }
    : {
        pass: state.pass,
        attempts: state.attempts,
        trying: null,
        next_try_at: new Date(state.nextTryAt).toISOString(),
        reason: state.reason,
      };
}

/** Why background retrying ended without an instance, as its record says it. */
export function retryingFailure(error: unknown): string {
  if (error instanceof ProvisionFailed)
    return error.stopped ? "provisioning stopped" : "no capacity within retry.duration";
  if (error instanceof UserError && error.code === "config-changed") return "configuration changed";
  return "error";
}
