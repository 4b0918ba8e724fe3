// What `dstack doctor` reports: one check per component, each with a status, a one-line detail and a fix.
// Decisions (status from probe results) are pure functions elsewhere in this folder; probes gather facts.

/**
 * ok: works. warning: works partly, or needs attention before some command can use it.
 * error: a command will fail until it is fixed (the only status that makes `dstack doctor` exit 1).
 * missing: not set up, and nothing needs it unless you want it (a cloud without credentials).
 */
export type CheckStatus = "ok" | "warning" | "error" | "missing";

export interface Check {
  /** Stable id, e.g. `pulumi-cli`, `backend:aws`. */
  name: string;
  status: CheckStatus;
  /** One line saying what was found. Never holds a secret. */
  detail: string;
  /** How to fix or complete it; null when there is nothing to do. */
  hint: string | null;
}

export function check(name: string, status: CheckStatus, detail: string, hint: string | null = null): Check {
  return { name, status, detail, hint };
}

export interface DoctorReport {
  checks: Check[];
  /** False when any check is an error. */
  ok: boolean;
}

export function report(checks: Check[]): DoctorReport {
  return { checks, ok: checks.every((c) => c.status !== "error") };
}

export function countByStatus(checks: readonly Check[]): Record<CheckStatus, number> {
  const counts: Record<CheckStatus, number> = { ok: 0, warning: 0, error: 0, missing: 0 };
  for (const c of checks) counts[c.status] += 1;
  return counts;
}
