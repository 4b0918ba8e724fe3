// Finding a run by name and talking to its instance's agent: shared by stop, status, logs and attach.
import { closest } from "../compiler/suggest.js";
import { UserError } from "../errors.js";
import { stampAlive } from "../process-identity.js";
import { AgentSession } from "../runs/agent-session.js";
import { pendingStatus, type PendingStatus } from "../runs/pending-status.js";
import { pendingSupersedes, readPending, type PendingRun } from "../runs/pending-store.js";
import { instanceEndpoint, listRuns, readRun, type RunRecord } from "../runs/store.js";
import { ensureClientKey } from "../ssh/keys.js";

/** A pending run's status now: is its retrying process still alive? */
export function pendingStatusOf(p: PendingRun, now = Date.now()): PendingStatus {
  return pendingStatus(p, p.process !== null && stampAlive(p.process), now);
}

/** The run record of NAME; a typed error when it is unnamed, still pending, or unknown. */
export function requireRun(home: string, name: string | undefined): RunRecord {
  if (name === undefined) throw new UserError("usage", "name the run", "dstack ps lists them", 2);
  const run = readRun(home, name);
  const pending = readPending(home, name);
  if (pending !== undefined && pendingSupersedes(pending, run))
    throw new UserError(
      "run-pending",
      `run ${name} has no instance yet: it is ${pendingStatusOf(pending).text}`,
      `its provisioning log: ${pending.log_file}; dstack stop ${name} cancels it`,
    );
  if (run === undefined) {
    const near = closest(
      name,
      listRuns(home).map((r) => r.name),
    );
    throw new UserError(
      "run-not-found",
      `no run named "${name}"`,
      near === undefined ? "dstack ps -a lists runs" : `did you mean "${near}"?`,
    );
  }
  return run;
}

export function openAgent(home: string, run: RunRecord, attempts = 3): Promise<AgentSession> {
  return AgentSession.open(instanceEndpoint(run), ensureClientKey(home).privateKey, attempts);
}
