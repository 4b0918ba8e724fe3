// `dstack attach NAME`: port forwards and logs of a running run, until Ctrl-C (which only detaches).
import type { CommandContext } from "../command.js";
import { toolkitFor } from "../toolkit.js";

export async function run(ctx: CommandContext, _values: unknown, positionals: string[]): Promise<number> {
  const kit = toolkitFor(ctx);
  const record = kit.run(positionals[0]);
  ctx.out.error(`Attached to ${record.name} (ssh ${record.name}); press Ctrl-C to detach.`);
  const ended = await kit.attach(record);
  if (ended === undefined) return 0;
  ctx.out.error(
    `${record.name} ${ended.status}${ended.exit_code === null ? "" : `, exit code ${ended.exit_code}`}`,
  );
  return 0;
}
