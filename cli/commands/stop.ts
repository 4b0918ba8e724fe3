// `dstack stop NAME [-y]`: stop the run; its instance then idles and is torn down after idle_duration.
import { removeRunSshEntry } from "../../src/ssh/ssh-config.js";
import { ensureReaper } from "../../src/runs/reaper-process.js";
import { removeRun } from "../../src/runs/store.js";
import type { CommandContext, Values } from "../command.js";
import { confirm } from "../prompt.js";
import { openAgent, requireRun } from "./runs-common.js";

export async function run(ctx: CommandContext, values: Values, positionals: string[]): Promise<number> {
  const record = requireRun(ctx, positionals[0]);
  if (!(await confirm(`Stop the run ${record.name}?`, values.yes === true, ctx.signal))) return 0;
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
