// What the agent's parts share: configuration, the Docker client, the state and how to persist it.
import type { AgentConfig } from "./config.js";
import type { Docker } from "./docker.js";
import { log } from "./log.js";
import {
  isFinished,
  saveState,
  type AgentState,
  type RunRecord,
  type RunStatus,
  type StopReason,
} from "./state.js";
import { statePath } from "./paths.js";

export interface AgentContext {
  config: AgentConfig;
  docker: Docker;
  state: AgentState;
  now: () => number;
}

export function save(ctx: AgentContext): void {
  saveState(statePath(ctx.config), ctx.state);
}

export function finish(
  ctx: AgentContext,
  r: RunRecord,
  status: Extract<RunStatus, "exited" | "failed" | "stopped">,
  reason: StopReason | null,
  message: string | null = null,
): void {
  if (isFinished(r.status)) return; // the first end wins
  Object.assign(r, { status, stop_reason: reason, message, finished_at: ctx.now(), ssh_ready: false });
  log(`run ${r.spec.name}: ${status}${reason ? ` (${reason})` : ""}${message ? `: ${message}` : ""}`);
  save(ctx);
}
