// One change to a pool at a time. Adding an instance (apply, background retrying) and removing one
// (the reaper, stop, recovery) each read the pool file, run a Pulumi update of the pool's stack, and
// write the file back: two at once would collide on the stack's own lock (one update fails) or, worse,
// the later write would drop the other's instance from the file. So each holds this lock for its
// read-update-write; the other waits. Nested use within one process (a failed add removing its
// instance) does not wait for itself.
import { setTimeout as delay } from "node:timers/promises";
import { releaseRootLock, takeRootLock } from "../home/record-stores.js";
import { cancelled } from "../provisioning/cancelled.js";

/** How deep this process is in each lock it holds (the per-process part of the lock, by its nature). */
const held = new Map<string, number>();

const POLL_MS = 100;

export async function withPoolLock<T>(
  home: string,
  pool: string,
  action: () => Promise<T>,
  signal?: AbortSignal,
  /** Told at every refused try while another live process holds the lock (why a command waits). */
  onWait?: (tries: number) => void,
): Promise<T> {
  // Per home and pool: two homes in one process (tests) share a root only when their backend is one.
  const name = `pool-${pool}`;
  const file = `${home}\0${name}`;
  const depth = held.get(file) ?? 0;
  if (depth === 0) {
    for (let tries = 1; !takeRootLock(home, name); tries++) {
      onWait?.(tries);
      if (signal?.aborted === true) throw cancelled();
      await delay(POLL_MS);
    }
  }
  held.set(file, depth + 1);
  try {
    return await action();
  } finally {
    if (depth === 0) {
      held.delete(file);
      releaseRootLock(home, name);
    } else held.set(file, depth);
  }
}
