// `dstack attach NAME`: port forwards and logs of a running run, until Ctrl-C (which only detaches).
import { attach } from "../../src/runs/attach.js";
import { ensureClientKey } from "../../src/ssh/keys.js";
import type { CommandContext } from "../command.js";
import { requireRun } from "./runs-common.js";

export async function run(ctx: CommandContext, _values: unknown, positionals: string[]): Promise<number> {
  const record = requireRun(ctx, positionals[0]);
  ctx.out.error(`Attached to ${record.name} (ssh ${record.name}); press Ctrl-C to detach.`);
  const ended = await attach(record, {
    privateKey: ensureClientKey(ctx.home).privateKey,
    signal: ctx.signal,
    onLog: (text) => void process.stdout.write(text),
    onForward: (local, container) =>
      ctx.out.error(`Forwarding 127.0.0.1:${local} -> ${record.name}:${container}`),
  });
  if (ended === undefined) return 0;
  ctx.out.error(
    `${record.name} ${ended.status}${ended.exit_code === null ? "" : `, exit code ${ended.exit_code}`}`,
  );
  return 0;
}
