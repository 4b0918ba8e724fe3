// Who holds a stack's lock on a remote DIY backend (s3://, gs://, azblob://), read from the engine's own
// error text: dstack has no client for those stores, and the `pulumi` that failed has just listed and
// read every lock object. Pulumi 3.248.0 (pkg/backend/diy/lock.go, checkForLock) prints, for a stack
// locked by a `pulumi up` SIGKILLed on this machine (captured from a real run against MinIO):
//
//   error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.
//     s3://exp-mws1s57t/.pulumi/locks/organization/exp/locked/5eed9e1f-b635-442f-a235-5ae45d44e441.json?disable_https=true&endpoint=http%3A%2F%2F127.0.0.1%3A9900&region=us-east-1&s3ForcePathStyle=true: created by root@vm (pid 22059) at 2026-11-22T16:24:53Z
//
// i.e. a header with the count, then one line per lock object: two spaces, the object's URL, then
// `: created by <username>@<hostname> (pid <pid>) at <timestamp, RFC 3339, whole seconds>`. The
// Automation API repeats the stderr in its message (`stderr:` and `err?:`), so the first block is read.
// Anything that does not match exactly (another count of lines, a missing field) reads as unknown: a
// lock we cannot read is never judged.
import type { LockHolder } from "./lock-info.js";

export interface TextLock {
  /** The lock object's URL, as Pulumi prints it. */
  url: string;
  holder: LockHolder & { username: string; hostname: string; pid: number; since: string };
}

const HEADER = /the stack is currently locked by (\d+) lock\(s\)\./;
const LOCK_LINE = /^ {2}(\S.*?): created by (.*)@([^@\s]+) \(pid (\d+)\) at (\S+)$/;

/** The locks a DIY backend's "currently locked" error lists; undefined when the text is not exactly that. */
export function parseLockText(text: string): TextLock[] | undefined {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => HEADER.test(l));
  if (start < 0) return undefined;
  const count = Number(HEADER.exec(lines[start] ?? "")?.[1]);
  const locks: TextLock[] = [];
  for (const line of lines.slice(start + 1, start + 1 + count)) {
    const m = LOCK_LINE.exec(line);
    if (m === null) return undefined;
    const [, url = "", username = "", hostname = "", pid = "", since = ""] = m;
    if (Number.isNaN(Date.parse(since)) || Number(pid) <= 0) return undefined;
    locks.push({ url, holder: { username, hostname, pid: Number(pid), since } });
  }
  return count > 0 && locks.length === count ? locks : undefined;
}

/**
 * Backends whose locks are objects `pulumi cancel` deletes and whose error text lists them: every DIY
 * backend, the file one included (its local pool is also cleaned from its lock files, see
 * stale-lock.ts; other stacks there, e.g. a fleet's, through this). Pulumi Cloud (http[s]://) locks are
 * server-side updates, never judged here.
 */
export function isDiyBackend(url: string): boolean {
  return !isServiceBackend(url);
}

/** Pulumi Cloud, or a self-hosted Pulumi service: locks are updates the service tracks. */
export function isServiceBackend(url: string): boolean {
  return /^https?:\/\//.test(url);
}

/**
 * What to do about a lock dstack left alone. On Pulumi Cloud the lock is an update the service runs
 * or lost track of, which dstack cannot see: ending it is the user's call, never suggested as routine.
 */
export function lockedHint(backendUrl: string): string {
  if (isServiceBackend(backendUrl))
    return (
      "the Pulumi service holds this lock for an update dstack cannot see: wait for it to finish; whether " +
      "to end it with `pulumi cancel` (or in the Pulumi Cloud console) is your decision, as it stops " +
      "that update for everyone"
    );
  return (
    "wait for that update to finish; if you know its process died (dstack cannot tell for another " +
    "machine), run `pulumi cancel`: it removes every lock of the stack, a live update's included"
  );
}
