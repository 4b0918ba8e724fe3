// Shared by ps, stop, logs and attach: find a run record and talk to its instance's agent.
import { UserError } from "../../src/errors.js";
import { AgentSession } from "../../src/runs/agent-session.js";
import { pendingSupersedes, readPending } from "../../src/runs/pending-store.js";
import { instanceEndpoint, listRuns, readRun, type RunRecord } from "../../src/runs/store.js";
import { closest } from "../../src/compiler/suggest.js";
import { ensureClientKey } from "../../src/ssh/keys.js";
import type { CommandContext } from "../command.js";
import { statusOf } from "./pending-render.js";

export function requireRun(ctx: CommandContext, name: string | undefined): RunRecord {
  if (name === undefined) throw new UserError("usage", "name the run", "dstack ps lists them", 2);
  const run = readRun(ctx.home, name);
  const pending = readPending(ctx.home, name);
  if (pending !== undefined && pendingSupersedes(pending, run))
    throw new UserError(
      "run-pending",
      `run ${name} has no instance yet: it is ${statusOf(pending).text}`,
      `its provisioning log: ${pending.log_file}; dstack stop ${name} cancels it`,
    );
  if (run === undefined) {
    const near = closest(
      name,
      listRuns(ctx.home).map((r) => r.name),
    );
    throw new UserError(
      "run-not-found",
      `no run named "${name}"`,
      near === undefined ? "dstack ps -a lists runs" : `did you mean "${near}"?`,
    );
  }
  return run;
}

export function openAgent(ctx: CommandContext, run: RunRecord, attempts = 3): Promise<AgentSession> {
  return AgentSession.open(instanceEndpoint(run), ensureClientKey(ctx.home).privateKey, attempts);
}
