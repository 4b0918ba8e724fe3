// `dstack _reap` (internal): the reaper daemon (src/toolkit/reap-loop.ts); its stderr is
// ~/.dstack/logs/reaper.log, every line stamped.
import type { CommandContext } from "../command.js";
import { toolkitFor } from "../toolkit.js";

export async function run(ctx: CommandContext): Promise<number> {
  await toolkitFor(ctx).reap();
  return 0;
}
