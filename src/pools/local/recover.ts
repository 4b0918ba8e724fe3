// Cleaning up after a dstack killed mid-create (SIGKILL, a crash, a closed terminal): its pool entry
// still names the dead process as creator, the pool stack may still be locked by its dead `pulumi`, and
// the state may hold the create as a pending operation while the container half exists. The next
// command (apply, ps, stop, the reaper) finds this cheaply from files, and only then opens the stack:
// stale lock removed, pending operations dropped, the half-created instance deleted and the stack
// updated back to the pool file. Entries of live processes and locks of live updates are never touched.
import { lockState, removeStaleLocks, type LockState, type StaleLock } from "../../engine/stale-lock.js";
import { clearPendingOperations } from "../../engine/stack-runner.js";
import { stampAlive } from "../../process-identity.js";
import { deleteInstance } from "../../stacks/local/instance-ops.js";
import { localInstancesDir } from "../../home/paths.js";
import { LOCAL_POOL } from "./local-pool.js";
import type { PoolSet } from "../pool-set.js";
import { withRecoveryMutex } from "../recover-mutex.js";
import { readPool, type PoolInstance } from "../pool-store.js";

export interface Leftovers {
  /** Pool entries whose creating process died before the instance was up. */
  orphans: PoolInstance[];
  lock: LockState;
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
  const orphans = readPool(home, LOCAL_POOL).instances.filter(
    (i) => i.creator !== undefined && !stampAlive(i.creator),
  );
  const lock = lockState(backendUrl, STACK);
  return orphans.length === 0 && lock.kind !== "stale" ? undefined : { orphans, lock };
}

export async function recoverPool(pools: PoolSet): Promise<Recovery | undefined> {
  const home = pools.home;
  const url = pools.ctx.engine.backend.url;
  return withRecoveryMutex(home, async () => {
    // Judged again under the mutex: another command may have cleaned up meanwhile.
    const found = findLeftovers(home, url);
    if (found === undefined) return undefined;
    if (found.lock.kind === "held")
      return { instances: found.orphans, staleLocks: [], pendingOperations: 0, postponed: true };
    const pool = pools.forAttempt({ backend: "local", region: "local" });
    const staleLocks = removeStaleLocks(url, STACK);
    const pendingOperations = await clearPendingOperations(pool.emptyTarget());
    const instances: PoolInstance[] = [];
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
