// `dstack _reap` (internal): tear down idle instances of every pool after their idle_duration, then exit
// once the pools are empty. Started detached by commands that leave instances behind.
import { writeFileSync } from "node:fs";
import { hasInstances } from "../../src/pools/pool-store.js";
import { openPools } from "../../src/pools/pools-context.js";
import { handleFailedRuns, type FailedRunOutcome } from "../../src/runs/error-retry.js";
import { handleInterruptions } from "../../src/runs/interruption.js";
import { startRetryingProcess } from "../../src/runs/pending-process.js";
import { provisionTuning } from "../../src/provisioning/provision-tuning.js";
import { reapOnce } from "../../src/toolkit/reaper.js";
import { recoverLeftovers } from "../../src/toolkit/recover-leftovers.js";
import { reaperPidFile } from "../../src/home/paths.js";
import { reaperAlive } from "../../src/toolkit/reaper-process.js";
import { ensureClientKey } from "../../src/ssh/keys.js";
import type { CommandContext } from "../command.js";

export async function run(ctx: CommandContext): Promise<number> {
  if (reaperAlive(ctx.home)) return 0;
  writeFileSync(reaperPidFile(ctx.home), `${process.pid}\n`);
  const interval = Number(ctx.env.DSTACK_REAPER_INTERVAL_MS ?? 15_000);
  const key = ensureClientKey(ctx.home);
  const tuning = provisionTuning(ctx.env);
  const stamp = (): string => new Date().toISOString();
  while (!ctx.signal.aborted && hasInstances(ctx.home)) {
    try {
      const cleaned = await recoverLeftovers({ home: ctx.home, env: ctx.env });
      if (cleaned !== undefined) ctx.out.error(`${stamp()} ${cleaned}`);
      const pools = openPools({ home: ctx.home, env: ctx.env });
      const interrupted = await handleInterruptions(pools, (pending) =>
        startRetryingProcess(ctx.home, pending, null, ctx.env),
      );
      for (const i of interrupted)
        for (const r of i.runs)
          ctx.out.error(
            `${stamp()} instance ${i.instance} disappeared: run ${r.name} ${r.resubmitted ? "resubmitted on a new instance (retry on interruption)" : `interrupted (${r.why ?? ""})`}`,
          );
      // Failed runs under retry on error are resubmitted (on their instance, after the backoff).
      const failed: FailedRunOutcome[] = [];
      const result = await reapOnce(pools, key.privateKey, Date.now(), (instance, runs) =>
        failed.push(
          ...handleFailedRuns(
            ctx.home,
            instance,
            runs,
            pools.ctx.engine.backend.url,
            (pending) => startRetryingProcess(ctx.home, pending, null, ctx.env),
            tuning.backoffScale,
          ),
        ),
      );
      for (const f of failed)
        ctx.out.error(
          `${stamp()} run ${f.name} failed: ${f.resubmitted ? "resubmitted (retry on error)" : `not resubmitted (${f.why ?? ""})`}`,
        );
      for (const name of result.removed) ctx.out.error(`${stamp()} destroyed idle instance ${name}`);
    } catch (error) {
      ctx.out.error(`${stamp()} reaper: ${error instanceof Error ? error.message : String(error)}`);
    }
    // The listener goes with its wait: one left per loop would pile up on the long-lived signal.
    await new Promise<void>((resolve) => {
      const onAbort = (): void => (clearTimeout(timer), resolve());
      const timer = setTimeout(() => (ctx.signal.removeEventListener("abort", onAbort), resolve()), interval);
      ctx.signal.addEventListener("abort", onAbort, { once: true });
    });
  }
  ctx.out.error(`${stamp()} reaper: every pool is empty; exiting`);
  return 0;
}
