// How pending runs (retrying for capacity in the background) appear in `apply --json` and `ps`.
import type { PendingRun } from "../../src/runs/pending-store.js";
import { pendingStatusOf } from "../../src/toolkit/run-access.js";

/** The same fields as a run in `ps --json`, plus what the retrying is doing. */
export function pendingJson(p: PendingRun, now = Date.now()): Record<string, unknown> {
  const status = pendingStatusOf(p, now);
  return {
    name: p.name,
    type: p.type,
    backend: p.backend,
    owner: p.owner ?? null,
    region: null,
    zone: null,
    instance: null,
    resources: p.resources,
    price: null,
    status: status.status,
    status_text: status.text,
    stop_reason: null,
    exit_code: null,
    inactive_seconds: null,
    submitted_at: p.submitted_at,
    pending: {
      reason: p.reason,
      attempts: p.attempts,
      pass: p.pass,
      next_try_at: p.next_try_at,
      trying: p.trying,
      pid: p.process?.pid ?? null,
      /** The name the instance gets once there is capacity. */
      instance: p.instance,
      retry_until: p.retry_until,
      log_file: p.log_file,
      message: p.message ?? null,
    },
  };
}
