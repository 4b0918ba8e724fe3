// `dstack logs NAME`: the run's output so far.
import type { CommandContext } from "../command.js";
import { openAgent, requireRun } from "./runs-common.js";

export async function run(ctx: CommandContext, _values: unknown, positionals: string[]): Promise<number> {
  const record = requireRun(ctx, positionals[0]);
  const session = await openAgent(ctx, record);
  try {
    let offset = 0;
    for (;;) {
      const logs = await session.logs(record.name, offset);
      if (logs.text === "") break;
      process.stdout.write(logs.text);
      offset = logs.next_offset;
    }
  } finally {
    session.close();
  }
  return 0;
}
