// One recovery at a time: `ps`, `stop`, `apply` and the reaper may all notice the same leftover at once,
// and two of them cleaning it would race on the pool stack. A lock file holding the recoverer's process
// stamp; a lock whose holder died is taken over (recovering from a killed recovery, too).
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { dstackDir } from "../engine/state-backend.js";
import { ownStamp, stampAlive, type ProcessStamp } from "../process-identity.js";

const mutexFile = (home: string): string => join(dstackDir(home), "local", "recovery.lock");

function tryTake(file: string): boolean {
  try {
    writeFileSync(file, JSON.stringify(ownStamp()), { flag: "wx", mode: 0o600 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return false;
  }
}

function holderDead(file: string): boolean {
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

/** Runs `action` holding the mutex; undefined without running it when a live process holds it. */
export async function withRecoveryMutex<T>(home: string, action: () => Promise<T>): Promise<T | undefined> {
  const file = mutexFile(home);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  if (!tryTake(file)) {
    if (!holderDead(file)) return undefined;
    rmSync(file, { force: true });
    if (!tryTake(file)) return undefined;
  }
  try {
    return await action();
  } finally {
    rmSync(file, { force: true });
  }
}
