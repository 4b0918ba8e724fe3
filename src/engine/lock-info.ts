// Who holds a stack's lock, and since when: file backends keep one JSON file per lock under
// `.pulumi/locks/**/<stack>/`. Other backends say it in their error text.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

export interface LockHolder {
  username: string | null;
  hostname: string | null;
  pid: number | null;
  since: string | null;
}

function locksUnder(dir: string, stack: string, depth = 0): string[] {
  if (depth > 4) return [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry);
    if (!statSync(path).isDirectory()) continue;
    if (entry === stack)
      found.push(
        ...readdirSync(path)
          .filter((f) => f.endsWith(".json"))
          .map((f) => join(path, f)),
      );
    else found.push(...locksUnder(path, stack, depth + 1));
  }
  return found;
}

/** Every lock file of `stack` in a file backend (one per process holding or taking the lock). */
export function lockFiles(backendUrl: string, stack: string): string[] {
  if (!backendUrl.startsWith("file://")) return [];
  return locksUnder(join(backendUrl.slice("file://".length), ".pulumi", "locks"), stack);
}

export function readLockHolder(backendUrl: string, stack: string): LockHolder | null {
  const [file] = lockFiles(backendUrl, stack);
  return file === undefined ? null : readLockFile(file);
}

export function readLockFile(file: string): LockHolder | null {
  try {
    const lock = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    return {
      username: typeof lock.username === "string" ? lock.username : null,
      hostname: typeof lock.hostname === "string" ? lock.hostname : null,
      pid: typeof lock.pid === "number" ? lock.pid : null,
      since: typeof lock.timestamp === "string" ? lock.timestamp : null,
    };
  } catch {
    return null;
  }
}

export function describeLock(holder: LockHolder | null): string {
  if (holder === null) return "another update holds the lock";
  const who = [holder.username, holder.hostname].filter((x) => x !== null).join("@") || "someone";
  return `${who}${holder.pid === null ? "" : ` (pid ${holder.pid})`} holds the lock${holder.since === null ? "" : ` since ${holder.since}`}`;
}
