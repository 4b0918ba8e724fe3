// The pool lock (pool-lock.ts): a change waits while another live process changes the pool, takes a
// dead holder's lock over, can be cancelled while waiting, and does not wait for itself when nested.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stampOf } from "../../../src/process-identity.js";
import { withPoolLock } from "../../../src/pools/pool-lock.js";
import { until } from "../../until.js";

function homeWithLockHeldBy(pid: number): { home: string; lock: string } {
  const home = mkdtempSync(join(tmpdir(), "dstack-pool-lock-"));
  mkdirSync(join(home, ".dstack", "locks"), { recursive: true });
  const lock = join(home, ".dstack", "locks", "pool-local.lock");
  writeFileSync(lock, JSON.stringify(stampOf(pid)));
  return { home, lock };
}

describe("withPoolLock", () => {
  it("waits while a live process holds the lock, and runs once it is released", async () => {
    const holder = spawn("sleep", ["30"]);
    const { home, lock } = homeWithLockHeldBy(holder.pid ?? 0);
    const refused: number[] = [];
    try {
      let released = false;
      let ranAfterRelease: boolean | undefined;
      const waiting = withPoolLock(
        home,
        "local",
        () => Promise.resolve((ranAfterRelease = released)),
        undefined,
        (tries) => refused.push(tries),
      );
      // Three tries refused (the first and two polls): it is waiting, not running.
      await until("three refused tries of the lock", () => (refused.length >= 3 ? true : undefined), 10_000, {
        intervalMs: 10,
      });
      expect(refused.slice(0, 3)).toEqual([1, 2, 3]);
      expect(ranAfterRelease).toBeUndefined();
      released = true;
      holder.kill("SIGKILL");
      await waiting;
      expect(ranAfterRelease).toBe(true);
      expect(existsSync(lock)).toBe(false);
    } finally {
      holder.kill("SIGKILL");
    }
  });

  it("takes over the lock of a process that died", async () => {
    const dead = spawn("true");
    await new Promise((r) => dead.on("exit", r));
    const { home, lock } = homeWithLockHeldBy(dead.pid ?? 0);
    expect(await withPoolLock(home, "local", () => Promise.resolve("ran"))).toBe("ran");
    expect(existsSync(lock)).toBe(false);
  });

  it("a wait is cancelled by its signal", async () => {
    const holder = spawn("sleep", ["30"]);
    const { home, lock } = homeWithLockHeldBy(holder.pid ?? 0);
    try {
      const abort = new AbortController();
      setTimeout(() => abort.abort(), 200);
      await expect(withPoolLock(home, "local", () => Promise.resolve(1), abort.signal)).rejects.toMatchObject(
        {
          code: "cancelled",
        },
      );
      // The holder's lock is left alone.
      expect(existsSync(lock)).toBe(true);
    } finally {
      holder.kill("SIGKILL");
    }
  });

  it("nested use in one process does not wait for itself; the lock goes with the outermost", async () => {
    const home = mkdtempSync(join(tmpdir(), "dstack-pool-lock-"));
    const lock = join(home, ".dstack", "locks", "pool-local.lock");
    const inner = await withPoolLock(home, "local", async () => {
      expect(existsSync(lock)).toBe(true);
      const value = await withPoolLock(home, "local", () => Promise.resolve("inner"));
      expect(existsSync(lock)).toBe(true);
      return value;
    });
    expect(inner).toBe("inner");
    expect(existsSync(lock)).toBe(false);
  });

  it("releases the lock when the action throws", async () => {
    const home = mkdtempSync(join(tmpdir(), "dstack-pool-lock-"));
    await expect(withPoolLock(home, "local", () => Promise.reject(new Error("boom")))).rejects.toThrow(
      "boom",
    );
    expect(existsSync(join(home, ".dstack", "locks", "pool-local.lock"))).toBe(false);
  });
});
