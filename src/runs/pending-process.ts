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
import { logsDir } from "../home/paths.js";
import { packageRoot } from "../package-root.js";
import { stampAlive, stampOf, type ProcessStamp } from "../process-identity.js";
import type { PendingRun } from "./pending-store.js";

/** The environment variable carrying the parsed `apply` flags (JSON) to the background process. */
export const APPLY_VALUES_ENV = "DSTACK_APPLY_VALUES";

export function startRetryingProcess(
  home: string,
  pending: PendingRun,
  /** The `apply` flags to compile the configuration from; null for a resubmission (spec in the record). */
  applyValues: Readonly<Record<string, unknown>> | null,
  env: Readonly<Record<string, string | undefined>>,
): ProcessStamp {
  return startBackground(home, {
    command: "_provision",
    name: pending.name,
    logFile: pending.log_file,
    cwd: pending.cwd,
    applyValues,
    env,
  });
}

export interface BackgroundCommand {
  /** The internal command: `_provision` (a run), `_provision-fleet` (a fleet). */
  command: string;
  name: string;
  logFile: string;
  cwd: string;
  applyValues: Readonly<Record<string, unknown>> | null;
  env: Readonly<Record<string, string | undefined>>;
}

/** `dstack <command> <name>`, detached, its output appended to `logFile`. */
export function startBackground(home: string, run: BackgroundCommand): ProcessStamp {
  mkdirSync(logsDir(home), { recursive: true, mode: 0o700 });
  const log = openSync(run.logFile, "a", 0o600);
  try {
    const child = spawn(process.execPath, [join(packageRoot(), "bin", "dstack.js"), run.command, run.name], {
      detached: true,
      cwd: run.cwd,
      stdio: ["ignore", log, log],
      env: {
        ...run.env,
        HOME: home,
        [APPLY_VALUES_ENV]: run.applyValues === null ? undefined : JSON.stringify(run.applyValues),
      },
    });
    child.unref();
    if (child.pid === undefined) throw new Error("the retrying process could not be started");
    return stampOf(child.pid);
  } finally {
    closeSync(log);
  }
}

export type Cancelled = "cancelled" | "killed" | "not-running";

/** Stops the retrying process: SIGTERM, then SIGKILL (its whole group) after `graceMs`. */
export function cancelRetrying(pending: PendingRun, graceMs = 120_000): Promise<Cancelled> {
  return stopBackground(pending.process, graceMs);
}

/** Stops a background process: SIGTERM, then SIGKILL (its whole group) after `graceMs`. */
export async function stopBackground(stamp: ProcessStamp | null, graceMs = 120_000): Promise<Cancelled> {
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
