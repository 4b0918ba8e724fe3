// Who a process is, beyond its pid: pids are reused, so a recorded pid alone cannot say whether the
// process that wrote a pool entry or a lock is still alive. On Linux /proc/<pid>/stat gives its start
// time (clock ticks since boot), which a reused pid does not share. A process on another host is never
// judged dead: its pid means nothing here, and guessing would delete someone else's work.
import { readFileSync } from "node:fs";
import { hostname } from "node:os";

export interface ProcessStamp {
  pid: number;
  host: string;
  /** Start time in clock ticks since boot (/proc/<pid>/stat field 22); null where /proc is absent. */
  start: number | null;
}

/** USER_HZ: the unit of /proc/<pid>/stat start times on every Linux architecture Node runs on. */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  state: string;
  start: number;
}

function procStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) sits in parentheses and may hold spaces: read after the last ")".
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    const start = Number(fields[19]);
    return Number.isFinite(start) ? { state: fields[0] ?? "", start } : undefined;
  } catch {
    return undefined;
  }
}

export function stampOf(pid: number): ProcessStamp {
  return { pid, host: hostname(), start: procStat(pid)?.start ?? null };
}

export const ownStamp = (): ProcessStamp => stampOf(process.pid);

/** Whether a pid answers signal 0 and is not a zombie (a killed child nobody reaped yet is dead). */
function pidRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists, owned by someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  const state = procStat(pid)?.state;
  return state !== "Z" && state !== "X";
}

/** False only when the stamped process is certainly gone: on this host, and its pid dead or reused. */
export function stampAlive(stamp: ProcessStamp): boolean {
  if (stamp.host !== hostname()) return true;
  if (!pidRunning(stamp.pid)) return false;
  if (stamp.start === null) return true;
  return procStat(stamp.pid)?.start === stamp.start;
}

/** Epoch ms when a running process started, from its ticks and the boot time; undefined without /proc. */
function startedAtMs(pid: number): number | undefined {
  const stat = procStat(pid);
  if (stat === undefined) return undefined;
  try {
    const btime = /^btime (\d+)$/m.exec(readFileSync("/proc/stat", "utf8"))?.[1];
    return btime === undefined ? undefined : Number(btime) * 1000 + (stat.start * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/**
 * Whether the process that wrote something at `since` (a Pulumi lock file holds only a pid, a host
 * and a timestamp) still runs: on another host assume so; here, its pid must run and must have started
 * before `since` (a process started later merely reuses the pid). One second of slack covers the
 * rounding of the boot time.
 */
export function holderAlive(pid: number, host: string, since: number | null): boolean {
  if (host !== hostname()) return true;
  if (!pidRunning(pid)) return false;
  const started = startedAtMs(pid);
  return since === null || started === undefined || started <= since + 1000;
}
