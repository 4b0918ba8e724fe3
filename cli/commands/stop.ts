// `dstack stop NAME [-y]`: stop the run; its instance then idles and is torn down after idle_duration.
// A run still pending (retrying for capacity in the background) is cancelled. The decision is the
// toolkit's (src/toolkit/stop-run.ts); this renders its outcome.
import type { CancelOutcome, RunStopOutcome } from "../../src/toolkit/stop-run.js";
import { ownerText } from "../../src/home/owner.js";
import type { CommandContext } from "../command.js";
import { toolkitFor } from "../toolkit.js";

function cancelledText(c: CancelOutcome): string {
  return c.how === "not-running"
    ? `Forgot ${c.name}: it was ${c.was}; nothing was provisioned for it.`
    : `Cancelled ${c.name}: it was ${c.was}; the retrying process ${c.pid ?? ""} ${c.how === "killed" ? "was killed" : "exited"} and nothing was provisioned for it.`;
}

function stoppedText(r: RunStopOutcome): string {
  return r.kind === "stopped"
    ? `Stopped ${r.name} (${r.status})${r.owner === undefined ? "" : `: it was ${ownerText(r.owner)}'s run`}.`
    : `${r.name}: its instance ${r.instance} no longer answers; the run is gone and forgotten.`;
}

export async function run(ctx: CommandContext, _values: unknown, positionals: string[]): Promise<number> {
  const outcome = await toolkitFor(ctx).stop(positionals[0]);
  if (outcome.cancelled !== undefined) ctx.out.print(cancelledText(outcome.cancelled));
  if (outcome.run !== undefined) ctx.out.print(stoppedText(outcome.run));
  return 0;
}
