// The progress lines of provisioning, one per attempt started and one per attempt ended, e.g.
//   Attempt 2/3: local zone-b (local, on-demand)...
//   Attempt 2/3: local zone-b ... no capacity (InsufficientInstanceCapacity), trying the next zone
import type { Attempt } from "./attempt-plan.js";
import type { FailureOutcome } from "./failover.js";
import { summarizeMessage } from "./failure-report.js";

/** `local zone-b`, `aws us-east-1 use1-az4`, `gcp us-central1` (the region is left out when it is the backend's name). */
export function attemptWhere(a: Attempt): string {
  return [a.backend, a.region === a.backend ? null : a.region, a.zone].filter((p) => p !== null).join(" ");
}

const label = (a: Attempt, total: number): string => `Attempt ${a.n}/${total}: ${attemptWhere(a)}`;

export function attemptStartLine(a: Attempt, total: number): string {
  return `${label(a, total)} (${a.instance_type}, ${a.spot ? "spot" : "on-demand"})...`;
}

export function attemptSucceededLine(a: Attempt, total: number, what: string): string {
  return `${label(a, total)} ... ${what}`;
}

export function formatWait(ms: number): string {
  const s = ms / 1000;
  if (s < 10) return `${Number(s.toFixed(1))}s`;
  if (s < 120) return `${Math.round(s)}s`;
  return `${Math.round(s / 60)}m`;
}

function why(outcome: FailureOutcome, timeoutMs: number): string {
  const code = outcome.code === null ? "" : ` (${outcome.code})`;
  switch (outcome.kind) {
    case "capacity":
      return `no capacity${code}`;
    case "quota":
      return `quota exceeded${code}`;
    case "credentials":
      return `credentials rejected${code}`;
    case "invalid":
      return `request rejected${code}`;
    case "transient":
      return `throttled${code}`;
    case null:
      return outcome.code === null
        ? `failed: ${summarizeMessage(outcome.message, null)}`
        : `no result within ${formatWait(timeoutMs)}, cancelled${code}`;
  }
}

export type NextStep =
  | { kind: "zone" }
  | { kind: "offer" }
  | { kind: "none" }
  | { kind: "retry"; waitMs: number }
  | { kind: "stop" };

function then(next: NextStep, outcome: FailureOutcome, a: Attempt): string {
  switch (next.kind) {
    case "zone":
      return "trying the next zone";
    case "offer":
      return outcome.decision === "next-region"
        ? `skipping the rest of ${a.backend} ${a.region}, trying the next offer`
        : outcome.decision === "next-backend"
          ? `skipping the rest of ${a.backend}, trying the next offer`
          : "trying the next offer";
    case "none":
      return "no offer left to try";
    case "retry":
      return `trying it again in ${formatWait(next.waitMs)}`;
    case "stop":
      return "stopping: no other offer can succeed until this is fixed";
  }
}

export function attemptFailedLine(
  a: Attempt,
  total: number,
  outcome: FailureOutcome,
  next: NextStep,
  timeoutMs: number,
): string {
  return `${label(a, total)} ... ${why(outcome, timeoutMs)}, ${then(next, outcome, a)}`;
}
