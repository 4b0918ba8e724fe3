// Finding what a killed dstack left, from files alone, and the one line saying what was cleaned; the
// recovery mutex. The engine side (lock, pending operations, containers) is in
// test/integration/killed-cli.test.ts.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ownStamp, type ProcessStamp } from "../../../src/process-identity.js";
import { describeRecovery, findLeftovers } from "../../../src/pools/recover.js";
import { withRecoveryMutex } from "../../../src/pools/recover-mutex.js";
import { writePool, type PoolInstance } from "../../../src/pools/pool-store.js";

const deadStamp = (): ProcessStamp => ({
  pid: Number(
    spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" })
      .stdout,
  ),
  host: hostname(),
  start: null,
});

const entry = (name: string, creator?: ProcessStamp): PoolInstance => ({
  name,
  created_at: "2026-01-01T00:00:00Z",
  idle_duration: 60,
  ...(creator === undefined ? {} : { creator }),
});

function homeWith(instances: PoolInstance[]): { home: string; url: string } {
  const home = mkdtempSync(join(tmpdir(), "dstack-recover-"));
  writePool(home, { name: "local", instances });
  return { home, url: `file://${join(home, ".dstack", "state")}` };
}

describe("findLeftovers", () => {
  it("nothing: no entry with a dead creator, no stale lock", () => {
    const { home, url } = homeWith([entry("up"), entry("creating", ownStamp())]);
    expect(findLeftovers(home, url)).toBeUndefined();
  });

  it("an entry whose creator died is a leftover; one being created by a live process is not", () => {
    const dead = deadStamp();
    const { home, url } = homeWith([entry("half", dead), entry("creating", ownStamp()), entry("up")]);
    expect(findLeftovers(home, url)).toEqual({
      orphans: [entry("half", dead)],
      lock: { kind: "free" },
      cloud: [],
    });
  });

  it("a cloud pool's entry whose creator died is a leftover of that pool", () => {
    const dead = deadStamp();
    const { home, url } = homeWith([entry("up")]);
    writePool(home, {
      name: "aws-us-east-1",
      backend: "aws",
      region: "us-east-1",
      instances: [entry("aws-half", dead), entry("aws-creating", ownStamp())],
    });
    expect(findLeftovers(home, url)).toEqual({
      orphans: [],
      lock: { kind: "free" },
      cloud: [{ pool: "aws-us-east-1", instance: entry("aws-half", dead) }],
    });
  });

  it("a stale lock alone is a leftover too", () => {
    const { home, url } = homeWith([]);
    const dir = join(home, ".dstack", "state", ".pulumi", "locks", "organization", "dstack", "pool-local");
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "x.json"),
      JSON.stringify({ pid: deadStamp().pid, hostname: hostname(), timestamp: new Date().toISOString() }),
    );
    expect(findLeftovers(home, url)?.lock.kind).toBe("stale");
  });
});

describe("describeRecovery", () => {
  it("says in one line what was cleaned, and whose leftovers they were", () => {
    const creator = { pid: 4242, host: hostname(), start: 1 };
    expect(
      describeRecovery({
        instances: [entry("local-abc", creator)],
        staleLocks: [{ file: "f", holder: { pid: 4250, hostname: hostname(), username: "me", since: null } }],
        pendingOperations: 1,
        postponed: false,
      }),
    ).toBe(
      "Cleaned up after an interrupted dstack (pid 4242, 4250): removed the half-created instance local-abc, removed the stale lock on stack pool-local, dropped 1 pending operation.",
    );
  });

  it("postponed while a live update holds the stack", () => {
    expect(
      describeRecovery({
        instances: [entry("local-abc")],
        staleLocks: [],
        pendingOperations: 0,
        postponed: true,
      }),
    ).toMatch(/^An interrupted dstack left local-abc half-created; a live update holds the pool stack/);
  });
});

describe("withRecoveryMutex", () => {
  it("one recovery at a time; a dead holder's mutex is taken over", async () => {
    const home = mkdtempSync(join(tmpdir(), "dstack-mutex-"));
    const inner = await withRecoveryMutex(home, async () =>
      withRecoveryMutex(home, () => Promise.resolve("inner")),
    );
    expect(inner).toBeUndefined();
    mkdirSync(join(home, ".dstack", "local"), { recursive: true });
    writeFileSync(join(home, ".dstack", "local", "recovery.lock"), JSON.stringify(deadStamp()));
    expect(await withRecoveryMutex(home, () => Promise.resolve("taken over"))).toBe("taken over");
  });
});
