// What a fleet's instances cost in `dstack ps`: each priced from its pool record (offer plus root
// volume) since it was created, summed; an instance the pool does not describe at the fleet's price
// since the fleet's creation; nothing while the fleet holds no instance.
import { describe, expect, it } from "vitest";
import { roundUsd } from "../../../src/catalog/cost.js";
import { fleetCost } from "../../../src/fleets/fleet-cost.js";
import type { PoolInstance, PoolRecord } from "../../../src/pools/pool-store.js";
import { fleetRecord } from "./fixtures.js";

const spec = (name: string, disk_gb: number): NonNullable<PoolInstance["spec"]> => ({
  name,
  instance_type: "t3.large",
  accelerator: null,
  tpu: false,
  gpu_vendor: null,
  gpu_count: 0,
  zone: "use1-az4",
  spot: false,
  max_price: null,
  reservation: null,
  disk_gb,
  image: null,
  volumes: [],
});

const NOW = Date.parse("2026-01-01T10:00:00.000Z");

describe("fleet cost", () => {
  it("sums its instances: price plus disk per hour, since each was created", () => {
    const pool: PoolRecord = {
      name: "gpus",
      backend: "aws",
      region: "us-east-1",
      fleet: "gpus",
      instances: [
        {
          name: "gpus-0",
          created_at: "2026-01-01T00:00:00.000Z",
          idle_duration: 259200,
          price: 0.0832,
          spec: spec("gpus-0", 100),
        },
        // The second came an hour later, with a larger disk.
        {
          name: "gpus-1",
          created_at: "2026-01-01T01:00:00.000Z",
          idle_duration: 259200,
          price: 0.0832,
          spec: spec("gpus-1", 200),
        },
      ],
    };
    const cost = fleetCost(fleetRecord(), pool, NOW);
    // 0.0832 + 100 * 0.08 / 730 and 0.0832 + 200 * 0.08 / 730 per hour, for 10h and 9h.
    expect(roundUsd(cost?.hourly ?? -1)).toBe(0.199277);
    expect(roundUsd(cost?.accrued ?? -1)).toBe(roundUsd(0.0832 * 19 + (8 / 730) * 10 + (16 / 730) * 9));
    expect(roundUsd(cost?.accrued ?? -1)).toBe(1.887649);
  });

  it("an instance its pool does not describe: the fleet's price since the fleet was created", () => {
    const empty: PoolRecord = { name: "gpus", backend: "aws", fleet: "gpus", instances: [] };
    const cost = fleetCost(fleetRecord(), empty, NOW);
    expect(cost).toEqual({ hourly: 0.1664, accrued: 0.1664 * 10 });
  });

  it("nothing while it holds no instance", () => {
    const pending = fleetRecord({ status: "pending", instances: [] });
    expect(fleetCost(pending, { name: "gpus", instances: [] }, NOW)).toBeNull();
  });
});
