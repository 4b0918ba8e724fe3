// The background process that carries on retrying a pending run (`dstack _provision NAME`): started
// detached (its own session, so closing the terminal sends it no SIGHUP), output to a log file under
// ~/.dstack/logs, the original `apply` flags in its environment (they may hold `-e` values, which
// must not sit in a file nor show in `ps`). Cancelling it is a SIGTERM: it cancels the attempt under way
// through Pulumi (nothing left behind) and removes its record; one that does not exit is killed, and
// the caller then cleans up after it like after any killed dstack.
import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { dstackDir } from "../engine/state-backend.js";
import { packageRoot } from "../package-root.js";
import { stampAlive, stampOf, type ProcessStamp } from "../process-identity.js";
import type { PendingRun } from "./pending-store.js";

/** The environment variable carrying the parsed `apply` flags (JSON) to the background process. */
export const APPLY_VALUES_ENV = "DSTACK_APPLY_VALUES";

export const pendingLogFile = (home: string, name: string): string =>
  join(dstackDir(home), "logs", `provision-${name}.log`);

export function startRetryingProcess(
  home: string,
  pending: PendingRun,
  /** The `apply` flags to compile the configuration from; null for a resubmission (spec in the record). */
  applyValues: Readonly<Record<string, unknown>> | null,
  env: Readonly<Record<string, string | undefined>>,
): ProcessStamp {
  mkdirSync(join(dstackDir(home), "logs"), { recursive: true, mode: 0o700 });
  const log = openSync(pending.log_file, "a", 0o600);
  try {
    const child = spawn(
      process.execPath,
      [join(packageRoot(), "bin", "dstack.js"), "_provision", pending.name],
      {
        detached: true,
        cwd: pending.cwd,
        stdio: ["ignore", log, log],
        env: {
          ...env,
          HOME: home,
          [APPLY_VALUES_ENV]: applyValues === null ? undefined : JSON.stringify(applyValues),
        },
      },
    );
    child.unref();
    if (child.pid === undefined) throw new Error("the retrying process could not be started");
    return stampOf(child.pid);
  } finally {
    closeSync(log);
  }
}

export type Cancelled = "cancelled" | "killed" | "not-running";

/** Stops the retrying process: SIGTERM, then SIGKILL (its whole group) after `graceMs`. */
export async function cancelRetrying(pending: PendingRun, graceMs = 120_000): Promise<Cancelled> {
  const stamp = pending.process;
  if (stamp === null || !stampAlive(stamp)) return "not-running";
  process.kill(stamp.pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!stampAlive(stamp)) return "cancelled";
    await delay(200);
  }
  try {
    process.kill(-stamp.pid, "SIGKILL");
  } catch {
    process.kill(stamp.pid, "SIGKILL");
  }
  for (let i = 0; i < 100 && stampAlive(stamp); i++) await delay(100);
  return "killed";
}
