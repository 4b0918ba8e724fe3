// A stack found locked by a `pulumi` that died on this machine (SIGKILL, a crash) mid-update: its lock
// object stays (in the bucket, or the folder) and every later update fails as locked. When every lock
// the engine's error lists was left by a process of this host that is certainly dead, `pulumi cancel`
// (which on a DIY backend deletes all the stack's lock objects) clears them, and the caller retries
// once. A live holder, another host's, or a text that does not read exactly so is left alone. A lock a
// new update takes between the failure and the cancel would go too: that window is the cancel's
// start-up (about a second); the local pool's own updates wait for each other on the pool lock.
import { readLockHolder, type LockHolder } from "./lock-info.js";
import { isDiyBackend, parseLockText, type TextLock } from "./lock-text.js";
import { allHoldersDead } from "./stale-lock.js";

export interface LockedStack {
  project: string;
  stack: string;
  backendUrl: string;
}

/** The locks a DIY backend's "locked" error lists; undefined for other errors, backends or texts. */
export function locksInError(
  message: string,
  concurrentUpdate: boolean,
  backendUrl: string,
): TextLock[] | undefined {
  if (!concurrentUpdate || !isDiyBackend(backendUrl)) return undefined;
  return parseLockText(message);
}

/**
 * Clears the listed locks when every holder is dead; says so through `notice`. False (nothing done)
 * when a holder may live, or when the cancel itself fails: the lock error then stands as it was.
 */
export async function clearStaleLocks(
  stack: LockedStack,
  locks: readonly TextLock[] | undefined,
  cancel: () => Promise<void>,
  notice: ((line: string) => void) | undefined,
): Promise<boolean> {
  if (locks === undefined || !allHoldersDead(locks.map((l) => l.holder))) return false;
  try {
    await cancel();
  } catch {
    return false;
  }
  for (const { holder } of locks)
    notice?.(
      `removed a stale lock of stack ${stack.project}/${stack.stack} left by ${holder.username}@${holder.hostname} (pid ${holder.pid}, dead) since ${holder.since}\n`,
    );
  return true;
}

/** Who holds the lock: the first the engine listed, else (a file backend) the first lock file found. */
export function lockHolderOf(stack: LockedStack, locks: readonly TextLock[] | undefined): LockHolder | null {
  return locks?.[0]?.holder ?? readLockHolder(stack.backendUrl, stack.stack);
}
