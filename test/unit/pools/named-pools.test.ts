// Named pools over the records as dstack writes them: which pool an instance belongs to, the list
// (default-pool always, created ones, fleets'), and the refusals of create, delete and set-default.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  createPool,
  DEFAULT_POOL,
  defaultPoolName,
  deletePool,
  namedPools,
  poolForNewInstances,
  poolNameOf,
  setDefaultPool,
} from "../../../src/pools/named-pools.js";
import type { PoolInstance, PoolRecord } from "../../../src/pools/pool-store.js";

const NOW = "2026-12-06T00:00:00.000Z";
const instance = (name: string, extra: Partial<PoolInstance> = {}): PoolInstance => ({
  name,
  created_at: NOW,
  idle_duration: 300,
  ...extra,
});

function home(records: PoolRecord[]): string {
  const h = mkdtempSync(join(tmpdir(), "dstack-named-pools-"));
  mkdirSync(join(h, ".dstack", "pools"), { recursive: true });
  for (const r of records)
    writeFileSync(join(h, ".dstack", "pools", `${r.name}.json`), JSON.stringify({ record_version: 1, ...r }));
  return h;
}

describe("poolNameOf", () => {
  it("is the fleet's name, else the pool the instance joined, else default-pool", () => {
    expect(poolNameOf({ name: "pair", fleet: "pair", instances: [] }, instance("pair-0"))).toBe("pair");
    expect(poolNameOf({ name: "local", instances: [] }, instance("a", { pool_name: "gpus" }))).toBe("gpus");
    expect(poolNameOf({ name: "local", instances: [] }, instance("a"))).toBe(DEFAULT_POOL);
  });
});

describe("named pools", () => {
  it("lists default-pool (the default), the created ones and the fleets, each with its instances", () => {
    const h = home([
      { name: "local", instances: [instance("local-a"), instance("local-b", { pool_name: "gpus" })] },
      {
        name: "aws-us-east-1",
        backend: "aws",
        region: "us-east-1",
        instances: [instance("aws-c", { pool_name: "gpus" })],
      },
      { name: "pair", fleet: "pair", instances: [instance("pair-0")] },
    ]);
    createPool(h, "gpus");
    const pools = namedPools(h).map((p) => ({
      name: p.name,
      kind: p.kind,
      default: p.default,
      instances: p.instances.map((m) => m.instance.name).sort(),
    }));
    expect(pools).toEqual([
      { name: DEFAULT_POOL, kind: "pool", default: true, instances: ["local-a"] },
      { name: "gpus", kind: "pool", default: false, instances: ["aws-c", "local-b"] },
      { name: "pair", kind: "fleet", default: false, instances: ["pair-0"] },
    ]);
  });

  it("create refuses a taken name (a fleet's too) and a bad one; set-default refuses unknown pools and fleets", () => {
    const h = home([{ name: "pair", fleet: "pair", instances: [instance("pair-0")] }]);
    expect(() => createPool(h, "pair")).toThrow(/already exists/);
    expect(() => createPool(h, "Gpus")).toThrow(/not a valid pool name/);
    createPool(h, "gpus");
    expect(() => createPool(h, "gpus")).toThrow(/already exists/);
    expect(() => setDefaultPool(h, "gpu")).toThrow(/no pool named "gpu"/);
    expect(() => setDefaultPool(h, "pair")).toThrow(/a fleet's pool/);
    setDefaultPool(h, "gpus");
    expect(defaultPoolName(h)).toBe("gpus");
    expect(poolForNewInstances(h, null)).toBe("gpus");
    expect(() => poolForNewInstances(h, "pair")).toThrow(/"pair" is a fleet's pool/);
  });

  it("delete refuses default-pool and a pool with instances; deleting the default falls back", () => {
    const h = home([{ name: "local", instances: [instance("local-b", { pool_name: "busy" })] }]);
    createPool(h, "busy");
    createPool(h, "spare");
    setDefaultPool(h, "spare");
    expect(() => deletePool(h, DEFAULT_POOL)).toThrow(/always exists/);
    expect(() => deletePool(h, "busy")).toThrow(/still has 1 instance: local-b/);
    const before = readFileSync(join(h, ".dstack", "pool-names.json"), "utf8");
    expect(() => deletePool(h, "nope")).toThrow(/no pool named "nope"/);
    expect(readFileSync(join(h, ".dstack", "pool-names.json"), "utf8")).toBe(before);
    deletePool(h, "spare");
    expect(defaultPoolName(h)).toBe(DEFAULT_POOL);
    expect(namedPools(h).map((p) => p.name)).toEqual([DEFAULT_POOL, "busy"]);
  });
});
