// Cleaning up after a dstack killed mid-create (SIGKILL, a crash, a closed terminal): its pool entry
// still names the dead process as creator, the pool stack may still be locked by its dead `pulumi`, and
// the state may hold the create as a pending operation while the container half exists. The next
// command (apply, ps, stop, the reaper) finds this cheaply from files, and only then opens the stack:
// stale lock removed, pending operations dropped, the half-created instance deleted and the stack
// updated back to the pool file. Entries of live processes and locks of live updates are never touched.
import { lockState, removeStaleLocks, type LockState, type StaleLock } from "../engine/stale-lock.js";
import { clearPendingOperations } from "../engine/stack-runner.js";
import { stampAlive } from "../process-identity.js";
import { deleteInstance } from "../stacks/local/instance-ops.js";
import { localInstancesDir } from "../home/paths.js";
import { LOCAL_POOL } from "./local/local-pool.js";
import type { PoolSet } from "./pool-set.js";
import { withRecoveryMutex } from "./recover-mutex.js";
import { listInstances, readPool, type PoolInstance } from "./pool-store.js";

export interface Leftovers {
  /** Local pool entries whose creating process died before the instance was up. */
  orphans: PoolInstance[];
  lock: LockState;
  /** The same in the cloud pools, by pool. */
  cloud: { pool: string; instance: PoolInstance }[];
}

export interface Recovery {
  /** The half-created instances removed (or, when postponed, left for the next command). */
  instances: PoolInstance[];
  staleLocks: StaleLock[];
  pendingOperations: number;
  /** Set when a live update holds the stack: the orphans wait for the next command. */
  postponed: boolean;
}

const STACK = `pool-${LOCAL_POOL}`;

/** From files only (no engine): what a killed dstack left; undefined when nothing. */
export function findLeftovers(home: string, backendUrl: string): Leftovers | undefined {
  const dead = (i: PoolInstance): boolean => i.creator !== undefined && !stampAlive(i.creator);
  const orphans = readPool(home, LOCAL_POOL).instances.filter(dead);
  // A fleet's pool is the fleet's: `ps` reports a killed create as interrupted, `dstack delete` cleans up.
  const cloud = listInstances(home).filter(
    ({ pool, instance }) => pool.name !== LOCAL_POOL && pool.fleet === undefined && dead(instance),
  );
  const lock = lockState(backendUrl, STACK);
  return orphans.length === 0 && cloud.length === 0 && lock.kind !== "stale"
    ? undefined
    : { orphans, lock, cloud: cloud.map(({ pool, instance }) => ({ pool: pool.name, instance })) };
}

/**
 * A cloud pool's half-created instances: the killed update's pending operations dropped, then the stack
 * updated without them (deleting any that the state recorded). A stale lock on the stack is cleared by
 * the engine's own stale-lock retry (stack-runner.ts). Limit: a VM whose create the cloud accepted but
 * the state never recorded is not found here (that needs a lookup by tags).
 */
async function recoverCloud(pools: PoolSet, leftovers: Leftovers["cloud"]): Promise<PoolInstance[]> {
  const removed: PoolInstance[] = [];
  for (const name of new Set(leftovers.map((l) => l.pool))) {
    const pool = pools.byName(name);
    if (pool === undefined) continue;
    await clearPendingOperations(pool.emptyTarget());
    for (const { instance } of leftovers.filter((l) => l.pool === name)) {
      await pool.remove(instance.name);
      removed.push(instance);
    }
  }
  return removed;
}

export async function recoverPool(pools: PoolSet): Promise<Recovery | undefined> {
  const home = pools.home;
  const url = pools.ctx.engine.backend.url;
  return withRecoveryMutex(home, async () => {
    // Judged again under the mutex: another command may have cleaned up meanwhile.
    const found = findLeftovers(home, url);
    if (found === undefined) return undefined;
    const elsewhere = await recoverCloud(pools, found.cloud);
    if (found.orphans.length === 0 && found.lock.kind !== "stale")
      return { instances: elsewhere, staleLocks: [], pendingOperations: 0, postponed: false };
    if (found.lock.kind === "held")
      return {
        instances: [...found.orphans, ...elsewhere],
        staleLocks: [],
        pendingOperations: 0,
        postponed: true,
      };
    const pool = pools.forAttempt({ backend: "local", region: "local" });
    const staleLocks = removeStaleLocks(url, STACK);
    const pendingOperations = await clearPendingOperations(pool.emptyTarget());
    const instances: PoolInstance[] = [...elsewhere];
    for (const orphan of found.orphans) {
      // A create cut short may have started a container the state never recorded: the engine cannot
      // delete what it does not know, so the backend's own delete (by the instance's label) runs first;
      // then the stack is updated without the instance (deleting it too if the create had completed).
      deleteInstance({ name: orphan.name, root: localInstancesDir(home) });
      await pool.remove(orphan.name);
      instances.push(orphan);
    }
    return { instances, staleLocks, pendingOperations, postponed: false };
  });
}

/** The one stderr line saying what was cleaned. */
export function describeRecovery(r: Recovery): string {
  const names = r.instances.map((i) => i.name).join(", ");
  if (r.postponed)
    return `An interrupted dstack left ${names} half-created; a live update holds the pool stack, so a later command removes it.`;
  const pids = new Set<number>();
  for (const i of r.instances) if (i.creator !== undefined) pids.add(i.creator.pid);
  for (const l of r.staleLocks) if (l.holder.pid !== null) pids.add(l.holder.pid);
  const parts = [
    ...r.instances.map((i) => `removed the half-created instance ${i.name}`),
    ...(r.staleLocks.length === 0 ? [] : [`removed the stale lock on stack ${STACK}`]),
    ...(r.pendingOperations === 0
      ? []
      : [`dropped ${r.pendingOperations} pending operation${r.pendingOperations === 1 ? "" : "s"}`]),
  ];
  const who = pids.size === 0 ? "" : ` (pid ${[...pids].join(", ")})`;
  return `Cleaned up after an interrupted dstack${who}: ${parts.join(", ")}.`;
}
