// `dstack pool ps` rows: each instance's price per hour (offer plus root volume) and its cost since it
// was created; unknown for a record written before prices were kept.
import { describe, expect, it } from "vitest";
import { instanceRows } from "../../../src/pools/pool-view.js";
import type { PoolRecord } from "../../../src/pools/pool-store.js";

const NOW = Date.parse("2026-01-01T03:00:00.000Z");

describe("pool instance rows", () => {
  it("carry price_hourly and cost_accrued", () => {
    const gcp: PoolRecord = {
      name: "gcp-us-central1",
      backend: "gcp",
      region: "us-central1",
      instances: [
        {
          name: "gcp-aaaaaa",
          created_at: "2026-01-01T00:00:00.000Z",
          idle_duration: 300,
          host: "203.0.113.9",
          ssh_port: 22,
          price: 0.35,
          spec: {
            name: "gcp-aaaaaa",
            instance_type: "n1-standard-4",
            accelerator: { type: "nvidia-tesla-t4", count: 1 },
            tpu: false,
            gpu_vendor: "nvidia",
            gpu_count: 1,
            zone: "us-central1-a",
            spot: false,
            max_price: null,
            reservation: null,
            disk_gb: 73,
            image: null,
            volumes: [],
          },
        },
      ],
    };
    const local: PoolRecord = {
      name: "local",
      instances: [
        { name: "local-aaaaaa", created_at: "2026-01-01T00:00:00.000Z", idle_duration: 300, price: 0 },
        // Written before prices were kept.
        { name: "local-bbbbbb", created_at: "2026-01-01T00:00:00.000Z", idle_duration: 300 },
      ],
    };
    const rows = instanceRows([gcp, local], NOW);
    // 0.35 + 73 * 0.10 / 730 = 0.36 per hour, for 3 hours.
    expect(rows.map((r) => [r.name, r.price_hourly, r.cost_accrued])).toEqual([
      ["gcp-aaaaaa", 0.36, 1.08],
      ["local-aaaaaa", 0, 0],
      ["local-bbbbbb", null, null],
    ]);
  });
});
