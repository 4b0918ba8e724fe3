// `dstack logs NAME`: the run's output so far (run.log messages: stdout).
import type { CommandContext } from "../command.js";
import { toolkitFor } from "../toolkit.js";

export async function run(ctx: CommandContext, _values: unknown, positionals: string[]): Promise<number> {
  await toolkitFor(ctx).logs(positionals[0]);
  return 0;
}
