// `dstack _reap` (internal): tear down idle local instances after their idle_duration, then exit once the
// pool is empty. Started detached by commands that leave instances behind.
import { writeFileSync } from "node:fs";
import { LOCAL_POOL } from "../../src/runs/local-pool.js";
import { localContext } from "../../src/runs/local-context.js";
import { reapOnce } from "../../src/runs/reaper.js";
import { reaperAlive, reaperPidFile } from "../../src/runs/reaper-process.js";
import { readPool } from "../../src/runs/store.js";
import { ensureClientKey } from "../../src/ssh/keys.js";
import type { CommandContext } from "../command.js";

export async function run(ctx: CommandContext): Promise<number> {
  if (reaperAlive(ctx.home)) return 0;
  writeFileSync(reaperPidFile(ctx.home), `${process.pid}\n`);
  const interval = Number(ctx.env.DSTACK_REAPER_INTERVAL_MS ?? 15_000);
  const key = ensureClientKey(ctx.home);
  const stamp = (): string => new Date().toISOString();
  while (!ctx.signal.aborted && readPool(ctx.home, LOCAL_POOL).instances.length > 0) {
    try {
      const local = localContext({ home: ctx.home, env: ctx.env });
      const result = await reapOnce({ ...local.pool, publicKey: key.publicKey }, key.privateKey);
      for (const name of result.removed) ctx.out.error(`${stamp()} destroyed idle instance ${name}`);
    } catch (error) {
      ctx.out.error(`${stamp()} reaper: ${error instanceof Error ? error.message : String(error)}`);
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, interval);
      ctx.signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
  ctx.out.error(`${stamp()} reaper: the local pool is empty; exiting`);
  return 0;
}
