// How `dstack ps` shows a run (or a fleet) waiting for capacity, e.g. `pending (no capacity, attempt 7,
// next try in 2m)`. Pure: the record, whether its process still runs, and the time. A pending record whose process
// died (killed, machine restarted) waits for nothing any more: it shows as failed, and `stop` forgets it.
import { formatWait } from "../planner/attempt-text.js";
import type { PendingRun } from "./pending-store.js";

export interface PendingStatus {
  status: "pending" | "failed";
  text: string;
}

/** What the status is read from: a pending run's record, or a pending fleet's `retrying`. */
export type Retried = Pick<
  PendingRun,
  "status" | "reason" | "attempts" | "trying" | "next_try_at" | "process"
>;

export function pendingStatus(run: Retried, processAlive: boolean, now: number): PendingStatus {
  const attempts = `${run.attempts} attempt${run.attempts === 1 ? "" : "s"}`;
  if (run.status === "failed") return { status: "failed", text: `failed (${run.reason}, after ${attempts})` };
  if (run.process === null) return { status: "pending", text: `pending (${run.reason}, starting to retry)` };
  if (!processAlive)
    return { status: "failed", text: `failed (the retrying process ${run.process.pid} exited)` };
  if (run.trying !== null)
    return { status: "pending", text: `pending (${run.reason}, attempt ${run.attempts} in progress)` };
  const next = run.next_try_at === null ? NaN : Date.parse(run.next_try_at) - now;
  const when = Number.isNaN(next) || next <= 0 ? "next try now" : `next try in ${formatWait(next)}`;
  // A resubmission waiting out its backoff has made no attempt yet: the count would only confuse.
  const made = run.attempts === 0 ? "" : `attempt ${run.attempts}, `;
  return { status: "pending", text: `pending (${run.reason}, ${made}${when})` };
}
