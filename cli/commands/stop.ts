// `dstack stop NAME [-y]`: stop the run; its instance then idles and is torn down after idle_duration.
// A run still pending (retrying for capacity in the background) is cancelled: its process is signalled,
// cancels the attempt under way through Pulumi, and exits leaving nothing; the pending record goes.
import { removeRunSshEntry } from "../../src/ssh/ssh-config.js";
import { cancelRetrying } from "../../src/runs/pending-process.js";
import {
  pendingSupersedes,
  readPending,
  removePending,
  type PendingRun,
} from "../../src/runs/pending-store.js";
import { ensureReaper } from "../../src/toolkit/reaper-process.js";
import { recoverLeftovers } from "../../src/toolkit/recover-leftovers.js";
import { readRun, removeRun } from "../../src/runs/store.js";
import type { CommandContext, Values } from "../command.js";
import { confirm } from "../prompt.js";
import { statusOf } from "./pending-render.js";
import { openAgent, requireRun } from "./runs-common.js";

async function cancelPending(ctx: CommandContext, pending: PendingRun): Promise<void> {
  const was = statusOf(pending).text;
  const outcome = await cancelRetrying(pending);
  // Killed after not exiting in time: whatever its attempt left is cleaned up like any killed dstack's.
  if (outcome === "killed") {
    const cleaned = await recoverLeftovers({ home: ctx.home, env: ctx.env, backendUrl: pending.backend_url });
    if (cleaned !== undefined) ctx.out.error(cleaned);
  }
  removePending(ctx.home, pending.name);
  ctx.out.print(
    outcome === "not-running"
      ? `Forgot ${pending.name}: it was ${was}; nothing was provisioned for it.`
      : `Cancelled ${pending.name}: it was ${was}; the retrying process ${pending.process?.pid ?? ""} ${outcome === "killed" ? "was killed" : "exited"} and nothing was provisioned for it.`,
  );
}

export async function run(ctx: CommandContext, values: Values, positionals: string[]): Promise<number> {
  // A dstack killed mid-create left a half-created instance or a locked stack: clean that up first.
  const cleaned = await recoverLeftovers({ home: ctx.home, env: ctx.env });
  if (cleaned !== undefined) ctx.out.error(cleaned);
  const name = positionals[0];
  const pending = name === undefined ? undefined : readPending(ctx.home, name);
  if (pending !== undefined && pendingSupersedes(pending, readRun(ctx.home, pending.name))) {
    if (!(await confirm(`Cancel the pending run ${pending.name}?`, values.yes === true, ctx.signal)))
      return 0;
    await cancelPending(ctx, pending);
    // Submitted just before the signal arrived: then it is an ordinary run, stopped below.
    if (pendingSupersedes(pending, readRun(ctx.home, pending.name))) return 0;
  }
  const record = requireRun(ctx, name);
  if (
    !(await confirm(`Stop the run ${record.name}?`, values.yes === true || pending !== undefined, ctx.signal))
  )
    return 0;
  const session = await openAgent(ctx, record).catch(() => undefined);
  if (session === undefined) {
    // The instance is gone (destroyed, or this machine restarted): nothing runs; forget the run.
    removeRun(ctx.home, record.name);
    ctx.out.print(
      `${record.name}: its instance ${record.instance} no longer answers; the run is gone and forgotten.`,
    );
  } else {
    try {
      const view = await session.stop(record.name);
      ctx.out.print(`Stopped ${record.name} (${view.status}).`);
    } finally {
      session.close();
    }
  }
  removeRunSshEntry(ctx.home, record.name);
  ensureReaper(ctx.home);
  return 0;
}
