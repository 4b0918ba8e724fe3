// One recovery at a time: `ps`, `stop`, `apply` and the reaper may all notice the same leftover at once,
// and two of them cleaning it would race on the pool stack. A lock file holding the recoverer's process
// stamp; a lock whose holder died is taken over (recovering from a killed recovery, too).
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { releaseLock, takeLock } from "../home/lock-file.js";
import { recoveryLockFile } from "../home/paths.js";

/** Runs `action` holding the mutex; undefined without running it when a live process holds it. */
export async function withRecoveryMutex<T>(home: string, action: () => Promise<T>): Promise<T | undefined> {
  const file = recoveryLockFile(home);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  if (!takeLock(file)) return undefined;
  try {
    return await action();
  } finally {
    releaseLock(file);
  }
}
