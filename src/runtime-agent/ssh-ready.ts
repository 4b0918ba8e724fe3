// Noticing sshd in a run's container as soon as it listens, rather than on the next supervision tick
// (poll_interval_ms, 2 s by default), which is what a client waiting for `ssh_ready` would otherwise
// wait for after every start: right after the start, the run's port is looked for every 50 ms for up
// to 30 s (a /proc read each); past that (sshd being installed first, say) the ticks carry on alone.
import { save, type AgentContext } from "./context.js";
import { sshReady } from "./inactivity.js";
import { errorText, log } from "./log.js";
import type { RunRecord } from "./state.js";
import { readSockets } from "./supervise.js";

export const READY_POLL_MS = 50;
export const READY_WATCH_MS = 30_000;

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref()); // never what keeps the agent alive

export async function watchSshReady(
  ctx: AgentContext,
  r: RunRecord,
  opts: { pollMs?: number; watchMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (opts.watchMs ?? READY_WATCH_MS);
  const container = r.container_id;
  try {
    // Only while this start's container runs: a stop, an end or a resubmission ends the watch.
    while (r.status === "running" && r.container_id === container && !r.ssh_ready) {
      if (sshReady(readSockets(ctx.config.proc_net_dir), r.ssh_port)) {
        r.ssh_ready = true;
        save(ctx);
        log(`run ${r.spec.name}: sshd listens on port ${r.ssh_port}`);
        return;
      }
      if (Date.now() >= deadline) return;
      await pause(opts.pollMs ?? READY_POLL_MS);
    }
  } catch (err) {
    log(`run ${r.spec.name}: watching for sshd: ${errorText(err)}`);
  }
}
