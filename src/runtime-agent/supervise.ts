// The supervision loop: notice containers that ended, measure SSH activity from the shared network
// namespace's /proc/net/tcp{,6}, and stop runs past inactivity_duration or max_duration. Also re-adoption
// of the runs in the state file when the agent starts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { abandonBuilds } from "./builder.js";
import { finish, save, type AgentContext } from "./context.js";
import { inactiveSeconds, limitReached, sshReady, trackActivity } from "./inactivity.js";
import { errorText, log } from "./log.js";
import { parseProcNetTcp, type TcpSocket } from "./proc-net.js";
import type { RunRecord, StopReason } from "./state.js";

export function readSockets(dir: string): TcpSocket[] {
  return ["tcp", "tcp6"].flatMap((f) => {
    try {
      return parseProcNetTcp(readFileSync(join(dir, f), "utf8"));
    } catch {
      return []; // no IPv6, or the namespace is gone
    }
  });
}

export async function stopRun(ctx: AgentContext, r: RunRecord, reason: StopReason): Promise<void> {
  r.ssh_ready = false;
  finish(ctx, r, "stopped", reason);
  if (!r.container_id) return;
  await ctx.docker.stop(r.container_id);
  r.exit_code = (await ctx.docker.inspect(r.container_id))?.ExitCode ?? null;
  save(ctx);
}

/** One container: ended on its own (exit code), vanished, or still running. */
async function checkContainer(ctx: AgentContext, r: RunRecord): Promise<boolean> {
  const st = await ctx.docker.inspect(r.container_id ?? "");
  if (r.status !== "running") return false; // stopped meanwhile
  if (!st) {
    finish(ctx, r, "failed", "error", "the container no longer exists");
    return false;
  }
  if (st.Running) return true;
  r.exit_code = st.ExitCode;
  if (st.ExitCode === 0) finish(ctx, r, "exited", null);
  else finish(ctx, r, "failed", "error", st.Error || `exited with code ${st.ExitCode}`);
  return false;
}

export async function tick(ctx: AgentContext): Promise<void> {
  const running = Object.values(ctx.state.runs).filter((r) => r.status === "running");
  if (!running.length) return;
  const sockets = readSockets(ctx.config.proc_net_dir);
  const now = ctx.now();
  for (const r of running) {
    try {
      if (!(await checkContainer(ctx, r))) continue;
      Object.assign(r, trackActivity(r, sockets, r.ssh_port, now, ctx.config.min_connection_age_ms));
      r.ssh_ready = sshReady(sockets, r.ssh_port);
      const startedAt = r.started_at ?? now;
      const reason = limitReached(r.spec, inactiveSeconds(r, startedAt, now), startedAt, now);
      if (reason) await stopRun(ctx, r, reason);
    } catch (err) {
      log(`run ${r.spec.name}: supervision error: ${errorText(err)}`);
    }
  }
  save(ctx);
}

/**
 * After a restart: keep supervising live containers; runs that never got one cannot be resumed, nor can
 * builds (failed, their containers removed).
 */
export async function adopt(ctx: AgentContext): Promise<void> {
  for (const r of Object.values(ctx.state.runs)) {
    if (r.status === "pending" || r.status === "pulling") {
      if (r.container_id) await ctx.docker.remove(r.container_id);
      finish(
        ctx,
        r,
        "failed",
        "error",
        "the agent restarted before the container started; submit the run again",
      );
    } else if (r.status === "running" && (await checkContainer(ctx, r))) {
      log(`run ${r.spec.name}: re-adopted container ${(r.container_id ?? "").slice(0, 12)}`);
    }
  }
  await abandonBuilds(ctx);
  const known = new Set(Object.values(ctx.state.runs).map((r) => r.container_id));
  const labelled = await ctx.docker.listByLabel(`dstack.instance=${ctx.config.instance_name}`);
  for (const id of labelled.filter((c) => !known.has(c))) {
    log(`container ${id.slice(0, 12)} is labelled for this instance but not in the state file; left alone`);
  }
}
