// The detached reaper: one `dstack _reap` process per user, found through its pid file, started by any
// command that leaves an instance behind. It exits once the local pool is empty.
import { spawn } from "node:child_process";
import { mkdirSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { logsDir, reaperLogFile, reaperPidFile } from "../home/paths.js";
import { packageRoot } from "../package-root.js";

export function reaperAlive(home: string): boolean {
  try {
    const pid = Number(readFileSync(reaperPidFile(home), "utf8").trim());
    if (!Number.isInteger(pid) || pid <= 0) return false;
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function ensureReaper(home: string): void {
  if (reaperAlive(home)) return;
  mkdirSync(logsDir(home), { recursive: true });
  const log = openSync(reaperLogFile(home), "a");
  const child = spawn(process.execPath, [join(packageRoot(), "bin", "dstack.js"), "_reap"], {
    detached: true,
    stdio: ["ignore", log, log],
    env: { ...process.env, HOME: home },
  });
  child.unref();
}
