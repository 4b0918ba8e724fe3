// Stale locks in a file backend: only lock files whose holder is certainly dead are removed.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lockState, removeStaleLocks } from "../../../src/engine/stale-lock.js";

const STACK = "pool-local";

function backendWith(locks: { pid: number; hostname: string; timestamp?: string }[]): {
  url: string;
  files: string[];
} {
  const root = mkdtempSync(join(tmpdir(), "dstack-lock-"));
  const dir = join(root, ".pulumi", "locks", "organization", "dstack", STACK);
  mkdirSync(dir, { recursive: true });
  const files = locks.map((lock, i) => {
    const file = join(dir, `lock-${i}.json`);
    writeFileSync(file, JSON.stringify({ username: "me", timestamp: new Date().toISOString(), ...lock }));
    writeFileSync(`${file}.attrs`, "{}");
    return file;
  });
  return { url: `file://${root}`, files };
}

const deadPid = (): number =>
  Number(
    spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" })
      .stdout,
  );

describe("stale locks", () => {
  it("no lock file: free", () => {
    expect(lockState(backendWith([]).url, STACK)).toEqual({ kind: "free" });
  });

  it("a dead holder on this host: stale, and removed with its attributes file", () => {
    const { url, files } = backendWith([{ pid: deadPid(), hostname: hostname() }]);
    expect(lockState(url, STACK).kind).toBe("stale");
    expect(removeStaleLocks(url, STACK).map((l) => l.file)).toEqual(files);
    expect(existsSync(files[0]!)).toBe(false);
    expect(existsSync(`${files[0]!}.attrs`)).toBe(false);
    expect(lockState(url, STACK)).toEqual({ kind: "free" });
  });

  it("a live holder, or one on another host, is left alone", () => {
    for (const lock of [
      { pid: process.pid, hostname: hostname() },
      { pid: deadPid(), hostname: "another-machine" },
    ]) {
      const { url, files } = backendWith([lock]);
      expect(lockState(url, STACK).kind).toBe("held");
      expect(removeStaleLocks(url, STACK)).toEqual([]);
      expect(existsSync(files[0]!)).toBe(true);
    }
  });

  it("one live lock among dead ones: nothing is removed (the live update still runs)", () => {
    const { url, files } = backendWith([
      { pid: deadPid(), hostname: hostname() },
      { pid: process.pid, hostname: hostname() },
    ]);
    expect(removeStaleLocks(url, STACK)).toEqual([]);
    expect(files.every((f) => existsSync(f))).toBe(true);
  });

  it("other backends are never judged", () => {
    expect(lockState("s3://bucket", STACK)).toEqual({ kind: "free" });
  });
});
