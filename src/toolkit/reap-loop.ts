// The reaper daemon (`dstack _reap`): one per user, found through its pid file. Every interval it
// recovers leftovers of killed dstacks, notices vanished instances (interruptions: runs resubmitted under
// retry), resubmits failed runs under retry on error, and tears down instances idle past their
// idle_duration; it exits once every pool is empty.
import { writeFileSync } from "node:fs";
import { reaperPidFile } from "../home/paths.js";
import { hasInstances } from "../pools/pool-store.js";
import { openPools } from "../pools/pools-context.js";
import { provisionTuning } from "../provisioning/provision-tuning.js";
import { handleFailedRuns, type FailedRunOutcome } from "../runs/error-retry.js";
import { handleInterruptions } from "../runs/interruption.js";
import { startRetryingProcess } from "../runs/pending-process.js";
import type { PendingRun } from "../runs/pending-store.js";
import { ensureClientKey } from "../ssh/keys.js";
import { reapOnce } from "./reaper.js";
import { reaperAlive } from "./reaper-process.js";
import type { Toolkit } from "./toolkit.js";

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  // The listener goes with its wait: one left per loop would pile up on the long-lived signal.
  return new Promise<void>((resolve) => {
    const onAbort = (): void => (clearTimeout(timer), resolve());
    const timer = setTimeout(() => (signal.removeEventListener("abort", onAbort), resolve()), ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

async function reapPass(kit: Toolkit, privateKey: string): Promise<void> {
  const { home, env, io } = kit;
  const resubmit = (pending: PendingRun): ReturnType<typeof startRetryingProcess> =>
    startRetryingProcess(home, pending, null, env);
  await kit.recover();
  const pools = openPools({ home, env });
  const interrupted = await handleInterruptions(pools, resubmit);
  for (const i of interrupted)
    for (const r of i.runs)
      io.notify({
        code: "reaper.interrupted",
        level: "warn",
        text: `instance ${i.instance} disappeared: run ${r.name} ${r.resubmitted ? "resubmitted on a new instance (retry on interruption)" : `interrupted (${r.why ?? ""})`}`,
        data: { instance: i.instance, run: r.name, resubmitted: r.resubmitted, why: r.why ?? null },
      });
  // Failed runs under retry on error are resubmitted (on their instance, after the backoff).
  const failed: FailedRunOutcome[] = [];
  const scale = provisionTuning(env).backoffScale;
  const url = pools.ctx.engine.backend.url;
  const result = await reapOnce(pools, privateKey, Date.now(), (instance, runs) =>
    failed.push(...handleFailedRuns(home, instance, runs, url, resubmit, scale)),
  );
  for (const f of failed)
    io.notify({
      code: "reaper.failed-run",
      level: "warn",
      text: `run ${f.name} failed: ${f.resubmitted ? "resubmitted (retry on error)" : `not resubmitted (${f.why ?? ""})`}`,
      data: { run: f.name, resubmitted: f.resubmitted, why: f.why ?? null },
    });
  for (const name of result.removed)
    io.notify({
      code: "reaper.destroyed",
      level: "info",
      text: `destroyed idle instance ${name}`,
      data: { instance: name },
    });
}

/** Returns false when another reaper already runs (this one then does nothing). */
export async function reapLoop(kit: Toolkit, signal: AbortSignal): Promise<boolean> {
  const { home, env, io } = kit;
  if (reaperAlive(home)) return false;
  writeFileSync(reaperPidFile(home), `${process.pid}\n`);
  const interval = Number(env.DSTACK_REAPER_INTERVAL_MS ?? 15_000);
  const key = ensureClientKey(home);
  while (!signal.aborted && hasInstances(home)) {
    try {
      await reapPass(kit, key.privateKey);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      io.notify({ code: "reaper.error", level: "error", text: `reaper: ${message}`, data: { message } });
    }
    await sleep(interval, signal);
  }
  io.notify({ code: "reaper.exit", level: "info", text: "reaper: every pool is empty; exiting" });
  return true;
}
