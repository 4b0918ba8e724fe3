// Lock files between dstack's own processes (the CLI, the reaper, background retrying): a file created
// exclusively that holds its holder's process stamp. A lock whose holder died (SIGKILL, a crash) is
// taken over, so no lock outlives its process.
import { readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { ownStamp, stampAlive, type ProcessStamp } from "../process-identity.js";

export function tryTakeLock(file: string): boolean {
  try {
    writeFileSync(file, JSON.stringify(ownStamp()), { flag: "wx", mode: 0o600 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return false;
  }
}

export function lockHolderDead(file: string): boolean {
  try {
    return !stampAlive(JSON.parse(readFileSync(file, "utf8")) as ProcessStamp);
  } catch {
    // Empty while its writer is between open and write; unreadable for longer, its writer died then.
    try {
      return Date.now() - statSync(file).mtimeMs > 5000;
    } catch {
      return true;
    }
  }
}

/** Takes the lock, or a dead holder's lock over; false when a live process holds it. */
export function takeLock(file: string): boolean {
  if (tryTakeLock(file)) return true;
  if (!lockHolderDead(file)) return false;
  rmSync(file, { force: true });
  return tryTakeLock(file);
}

export const releaseLock = (file: string): void => rmSync(file, { force: true });
