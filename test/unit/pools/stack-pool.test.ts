// The pool bookkeeping that needs no engine: which instances count as vanished (complete ones the
// backend no longer has, never one still being created), and the backend's word asked only about those.
import { mkdtempSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { StateBackend } from "../../../src/engine/state-backend.js";
import { writePool, type PoolInstance } from "../../../src/pools/pool-store.js";
import { StackPool, type PoolAdapter } from "../../../src/pools/stack-pool.js";

function adapter(exists: (name: string) => boolean, asked: string[][]): PoolAdapter {
  return {
    backend: "aws",
    region: "us-east-1",
    removeStackWhenEmpty: true,
    target: () => {
      throw new Error("no engine in this test");
    },
    addresses: () => [],
    details: () => {
      throw new Error("no adds in this test");
    },
    missing: (instances: readonly PoolInstance[]) => {
      asked.push(instances.map((i) => i.name));
      return Promise.resolve(instances.filter((i) => !exists(i.name)).map((i) => i.name));
    },
  };
}

const engine = { backend: { url: "file:///nowhere" } as StateBackend, pulumiBinDir: "/nowhere" };

describe("StackPool.vanished", () => {
  it("complete instances the backend no longer has; never one still being created", async () => {
    const home = mkdtempSync(join(tmpdir(), "dstack-vanished-"));
    const base = { created_at: "2026-01-01T00:00:00Z", idle_duration: 60 as const };
    writePool(home, {
      name: "aws-us-east-1",
      backend: "aws",
      region: "us-east-1",
      instances: [
        { ...base, name: "gone", host: "127.0.0.10", ssh_port: 22 },
        { ...base, name: "here", host: "127.0.0.11", ssh_port: 22 },
        { ...base, name: "creating", creator: { pid: process.pid, host: hostname(), start: null } },
      ],
    });
    const asked: string[][] = [];
    const pool = new StackPool(
      "aws-us-east-1",
      home,
      engine,
      adapter((n) => n === "here", asked),
    );
    expect((await pool.vanished()).map((i) => i.name)).toEqual(["gone"]);
    expect(asked).toEqual([["gone", "here"]]);
  });

  it("asks the backend nothing when the pool holds no complete instance", async () => {
    const home = mkdtempSync(join(tmpdir(), "dstack-vanished-"));
    const asked: string[][] = [];
    const pool = new StackPool(
      "aws-us-east-1",
      home,
      engine,
      adapter(() => false, asked),
    );
    expect(await pool.vanished()).toEqual([]);
    expect(asked).toEqual([]);
  });
});
