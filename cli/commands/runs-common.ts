// Shared by ps, stop, logs and attach: find a run record and talk to its instance's agent.
import { UserError } from "../../src/errors.js";
import { AgentSession } from "../../src/runs/agent-session.js";
import { listRuns, readRun, type RunRecord } from "../../src/runs/store.js";
import { closest } from "../../src/compiler/suggest.js";
import { ensureClientKey } from "../../src/ssh/keys.js";
import type { CommandContext } from "../command.js";

export function requireRun(ctx: CommandContext, name: string | undefined): RunRecord {
  if (name === undefined) throw new UserError("usage", "name the run", "dstack ps lists them", 2);
  const run = readRun(ctx.home, name);
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
  return AgentSession.open(run.instance_ssh_port, ensureClientKey(ctx.home).privateKey, attempts);
}
