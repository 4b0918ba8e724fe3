// Process identity beyond the pid: alive, dead, reused pid (another start time), and another host.
import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { holderAlive, ownStamp, stampAlive, stampOf } from "../../../src/process-identity.js";

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
    encoding: "utf8",
  });
  return Number(r.stdout);
}

describe("process identity", () => {
  it("this process is alive, with its start time", () => {
    const me = ownStamp();
    expect(me).toMatchObject({ pid: process.pid, host: hostname() });
    expect(me.start).toBeGreaterThan(0);
    expect(stampAlive(me)).toBe(true);
  });

  it("an exited process is dead", () => {
    expect(stampAlive({ pid: deadPid(), host: hostname(), start: null })).toBe(false);
  });

  it("a reused pid (another start time) is not the recorded process", () => {
    const me = ownStamp();
    expect(stampAlive({ ...me, start: (me.start ?? 0) + 1 })).toBe(false);
  });

  it("a process on another host is never judged dead", () => {
    expect(stampAlive({ pid: deadPid(), host: `${hostname()}-elsewhere`, start: 1 })).toBe(true);
    expect(holderAlive(deadPid(), `${hostname()}-elsewhere`, Date.now())).toBe(true);
  });

  it("a lock holder: dead pid, live pid, and a pid that started after the lock was taken", () => {
    expect(holderAlive(deadPid(), hostname(), Date.now())).toBe(false);
    expect(holderAlive(process.pid, hostname(), Date.now())).toBe(true);
    // This process started long after 2001: it cannot hold a lock taken then.
    expect(holderAlive(process.pid, hostname(), Date.parse("2001-01-01T00:00:00Z"))).toBe(false);
    expect(stampOf(process.pid).start).toBe(ownStamp().start);
  });
});
