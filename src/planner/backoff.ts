// dstack's resubmission backoff for `retry.on_events: [no-capacity]`: 15s, 30s, 1m, 2m, 5m, then
// every 10m, for as long as `retry.duration` (from submission) allows. Short steps first because
// capacity often frees up within minutes; a 10-minute ceiling because cloud APIs are rate-limited
// and every failed attempt costs a Pulumi update.
const STEPS = [15, 30, 60, 120, 300] as const;
const CEILING = 600;

/** Seconds to wait before retry number `attempt` (1-based: the first retry waits 15s). */
export function backoffSeconds(attempt: number): number {
  if (!Number.isInteger(attempt) || attempt < 1)
    throw new RangeError(`attempt must be a positive integer, got ${attempt}`);
  return STEPS[attempt - 1] ?? CEILING;
}

/**
 * The times (same unit as `submittedAt`: epoch seconds) at which retries happen, each measured from
 * the previous one, that fall within `durationSeconds` of submission (a retry exactly at the end
 * still happens). The first try, at `submittedAt`, is not included. This is the schedule with
 * instant attempts; the runner measures each wait from the end of the previous pass instead, so real
 * retries drift later, never earlier.
 */
export function retrySchedule(submittedAt: number, durationSeconds: number): number[] {
  const deadline = submittedAt + durationSeconds;
  const times: number[] = [];
  let at = submittedAt;
  for (let n = 1; ; n++) {
    at += backoffSeconds(n);
    if (at > deadline) return times;
    times.push(at);
  }
}
