// Idle instances are torn down through Pulumi once they have had no active run for their idle_duration
// (dstack: 5m for runs). A detached `dstack _reap` process does this for every pool (local and clouds),
// so it happens after the terminal that started the run is closed.
import { addressOf } from "../pools/pool.js";
import type { PoolSet } from "../pools/pool-set.js";
import { updatePoolInstance, type PoolInstance } from "../pools/pool-store.js";
import { CLAIM_MS } from "../pools/reuse.js";
import type { RunView } from "../runtime-agent/run-view.js";
import type { BuildView } from "../runtime-agent/builder.js";
import { AgentSession, isActive, isBuilding } from "../runs/agent-session.js";
import { listPending } from "../runs/pending-store.js";

/**
 * When the instance became idle: the last run's or image build's end, else its claim or creation. Null
 * while busy (a run active, or a build not ended).
 */
export function idleSince(
  instance: PoolInstance,
  runs: readonly RunView[],
  builds: readonly BuildView[] = [],
): number | null {
  if (runs.some(isActive) || builds.some(isBuilding)) return null;
  const times = [
    Date.parse(instance.created_at),
    ...(instance.claimed_at === undefined ? [] : [Date.parse(instance.claimed_at)]),
  ];
  for (const run of [...runs, ...builds])
    if (run.finished_at !== null) times.push(Date.parse(run.finished_at));
  return Math.max(...times.filter((t) => !Number.isNaN(t)));
}

export function isExpired(instance: PoolInstance, since: number | null, now: number): boolean {
  if (since === null || instance.idle_duration === "off") return false;
  if (
    instance.claimed_at !== undefined &&
    now - Date.parse(instance.claimed_at) < CLAIM_MS &&
    since <= Date.parse(instance.claimed_at)
  )
    return false;
  return now - since >= instance.idle_duration * 1000;
}

export interface ReapResult {
  removed: string[];
  remaining: number;
}

/** An instance an error resubmission waits to go back to (error-retry.ts) is not idle. */
const awaitedInstances = (home: string): Set<string> =>
  new Set(
    listPending(home)
      .filter((p) => p.status === "pending" && p.on_instance !== undefined)
      .map((p) => p.on_instance ?? ""),
  );

export async function reapOnce(
  pools: PoolSet,
  privateKey: string,
  now = Date.now(),
  /** What each reachable instance's agent reported (the reaper looks for failed runs to retry). */
  onRuns?: (instance: string, runs: readonly RunView[]) => void,
): Promise<ReapResult> {
  const removed: string[] = [];
  const awaited = awaitedInstances(pools.home);
  for (const pool of pools.withInstances()) {
    for (const instance of pool.record().instances) {
      const address = addressOf(pool.name, instance);
      if (address === undefined) continue;
      const session = await AgentSession.open(address, privateKey, 2).catch(() => undefined);
      if (session === undefined) continue; // unreachable: leave it to the interruption check, never guess
      let runs: RunView[];
      let builds: BuildView[];
      try {
        runs = await session.runs();
        builds = await session.builds().catch(() => []);
      } catch {
        continue;
      } finally {
        session.close();
      }
      // Which runs it holds: the ones interrupted if the instance disappears (interruption.ts).
      const active = runs.filter(isActive).map((r) => r.name);
      if (JSON.stringify(active) !== JSON.stringify(instance.active_runs ?? []))
        updatePoolInstance(pools.home, pool.name, instance.name, { active_runs: active });
      onRuns?.(instance.name, runs);
      if (!awaited.has(instance.name) && isExpired(instance, idleSince(instance, runs, builds), now)) {
        await pool.remove(instance.name);
        removed.push(instance.name);
      }
    }
  }
  const remaining = pools.withInstances().reduce((n, p) => n + p.record().instances.length, 0);
  return { removed, remaining };
}
