// Locks left by a dead process on a file backend. A `pulumi` killed mid-update (SIGKILL, a crash, a
// closed laptop lid) never deletes its lock file, and every later update of the stack then fails as
// "locked". `pulumi cancel` on a file backend deletes every lock file of the stack, a live update's
// included; so dstack deletes only the files whose holder is certainly dead: same host, pid gone or
// reused since the lock was taken. Remote DIY backends (s3://, ...) are judged from the engine's error
// text instead (lock-text.ts, stack-runner.ts), with the same rule below.
import { rmSync } from "node:fs";
import { holderAlive } from "../process-identity.js";
import { lockFiles, readLockFile, type LockHolder } from "./lock-info.js";

export interface StaleLock {
  file: string;
  holder: LockHolder;
}

export type LockState =
  | { kind: "free" }
  /** Held by a live process (or one we cannot judge): wait for it. */
  | { kind: "held"; holder: LockHolder | null }
  | { kind: "stale"; locks: StaleLock[] };

/**
 * Whether the holder is certainly dead: on this host, its pid gone or reused since the lock was taken.
 * `sincePrecisionMs` is how coarse the timestamp is: Pulumi's error text gives whole seconds, so the
 * lock was taken up to a second after it says, and a process started in that second may be its holder.
 */
function isStale(
  holder: LockHolder | null,
  sincePrecisionMs = 0,
): holder is LockHolder & { pid: number; hostname: string } {
  if (holder === null || holder.pid === null || holder.hostname === null) return false;
  const since = holder.since === null ? NaN : Date.parse(holder.since);
  return !holderAlive(holder.pid, holder.hostname, Number.isNaN(since) ? null : since + sincePrecisionMs);
}

/**
 * The decision for locks listed in a remote DIY backend's error text: true only when there is at least
 * one and every holder is certainly dead, since `pulumi cancel` deletes them all at once.
 */
export function allHoldersDead(holders: LockHolder[], sincePrecisionMs = 999): boolean {
  return holders.length > 0 && holders.every((h) => isStale(h, sincePrecisionMs));
}

export function lockState(backendUrl: string, stack: string): LockState {
  const files = lockFiles(backendUrl, stack);
  if (files.length === 0) return { kind: "free" };
  const locks = files.map((file) => ({ file, holder: readLockFile(file) }));
  const live = locks.find((l) => !isStale(l.holder));
  if (live !== undefined) return { kind: "held", holder: live.holder };
  return { kind: "stale", locks: locks as StaleLock[] };
}

/** Deletes the stale lock files (judged again just before); returns those deleted. */
export function removeStaleLocks(backendUrl: string, stack: string): StaleLock[] {
  const state = lockState(backendUrl, stack);
  if (state.kind !== "stale") return [];
  for (const lock of state.locks) {
    rmSync(lock.file, { force: true });
    // The file backend's blob library keeps each object's attributes beside it.
    rmSync(`${lock.file}.attrs`, { force: true });
  }
  return state.locks;
}
