// What instances cost (src/catalog/cost.ts, plan-cost.ts), with exact numbers: the offer's price plus
// the root volume at each backend's per-GB-month price over 730 hours, the worst case of idle time,
// the cost so far, and the plan's line and --json.
import { describe, expect, it } from "vitest";
import { accruedCost, diskHourly, hourlyCost, idleWorstCase, roundUsd } from "../../../src/catalog/cost.js";
import { planCost, planCostJson, planCostText, reusedCost } from "../../../src/catalog/plan-cost.js";

const G5 = { backend: "aws", price: 1.006, disk_gb: 100 };
const G5_2X = { backend: "aws", price: 1.212, disk_gb: 100 };
const T3 = { backend: "aws", price: 0.0832, disk_gb: 100 };

describe("instance cost", () => {
  it("prices the root volume per backend: gp3 $0.08, pd-balanced $0.10 per GB-month, Premium SSD per tier", () => {
    expect(diskHourly("aws", 100)).toBeCloseTo(8 / 730, 12);
    expect(roundUsd(diskHourly("aws", 100))).toBe(0.010959);
    expect(roundUsd(diskHourly("gcp", 50))).toBe(0.006849);
    // Azure bills Premium SSD per tier: 30GB as P4 (32 GiB, $5.28), 100GB as P10 (128 GiB, $19.71),
    // 129GB as P15 (256 GiB, $38.01).
    expect(roundUsd(diskHourly("azure", 30))).toBe(0.007233);
    expect(roundUsd(diskHourly("azure", 100))).toBe(0.027);
    expect(diskHourly("azure", 128)).toBe(diskHourly("azure", 100));
    expect(roundUsd(diskHourly("azure", 129))).toBe(0.052068);
    // The local backend is this machine.
    expect(diskHourly("local", 500)).toBe(0);
  });

  it("adds the disk to the offer's price", () => {
    const h = hourlyCost(G5);
    expect(h.instance).toBe(1.006);
    expect(h.disk_gb).toBe(100);
    expect(roundUsd(h.total)).toBe(1.016959);
    expect(hourlyCost({ backend: "local", price: 0, disk_gb: 200 }).total).toBe(0);
  });

  it("the worst case of idle time is idle_duration at the hourly price; none with idle_duration off", () => {
    expect(idleWorstCase(2, 300)).toBeCloseTo(2 / 12, 12);
    expect(idleWorstCase(0.5, 72 * 3600)).toBe(36);
    expect(idleWorstCase(2, "off")).toBeNull();
  });

  it("the cost so far runs from creation to now, never below zero", () => {
    const since = "2026-01-01T00:00:00.000Z";
    expect(accruedCost(2, since, Date.parse("2026-01-01T01:30:00.000Z"))).toBe(3);
    expect(accruedCost(2, since, Date.parse("2025-12-31T23:59:00.000Z"))).toBe(0);
  });
});

describe("the plan's cost", () => {
  it("one new instance: its price per hour, instance + disk, and at most idle_duration more", () => {
    const cost = planCost({ offer: G5, instances: 1, idleDuration: 300 });
    expect(planCostText(cost)).toBe(
      "Cost: $1.017/h (instance $1.006 + disk 100GB $0.011); idle up to 5m: at most $0.0847 more",
    );
    expect(planCostJson(cost)).toEqual({
      hourly: 1.016959,
      instance_hourly: 1.006,
      disk_hourly: 0.010959,
      disk_gb: 100,
      instances: 1,
      idle_duration_s: 300,
      idle_worst_case: 0.084747,
      failover_max_hourly: null,
      reused_instance: null,
    });
  });

  it("a fleet: every node, idle at worst for the fleet's idle_duration", () => {
    const cost = planCost({ offer: T3, instances: 2, idleDuration: 3 * 86400 });
    expect(planCostText(cost)).toBe(
      "Cost: $0.1883/h for 2 instances ($0.0942/h each: instance $0.0832 + disk 100GB $0.011); idle up to 3d: at most $13.5589 more",
    );
    expect(planCostJson(cost)).toMatchObject({
      hourly: 0.188318,
      instance_hourly: 0.1664,
      disk_hourly: 0.021918,
      instances: 2,
      idle_duration_s: 259200,
      idle_worst_case: 13.558882,
    });
  });

  it("idle_duration off has no bound; a dearer offer failover may land on is named", () => {
    const cost = planCost({ offer: G5, instances: 1, idleDuration: "off", alternatives: [G5, G5_2X, T3] });
    expect(planCostText(cost)).toBe(
      "Cost: $1.017/h (instance $1.006 + disk 100GB $0.011); idle: off (no limit): billed until removed\n" +
        " (a failover to a later offer may cost up to $1.223/h: see the offers above)",
    );
    expect(planCostJson(cost)).toMatchObject({
      idle_duration_s: null,
      idle_worst_case: null,
      failover_max_hourly: 1.222959,
    });
    // Alternatives no dearer than the first: nothing to warn about.
    expect(planCost({ offer: G5, instances: 1, idleDuration: 300, alternatives: [G5, T3] })).toMatchObject({
      failover_max_hourly: null,
    });
  });

  it("pool add: idle from the start, 72h by default", () => {
    const cost = planCost({ offer: G5, instances: 1, idleDuration: 72 * 3600 });
    expect(planCostText(cost)).toContain("idle up to 3d: at most $73.221 more");
    expect(planCostJson(cost).idle_worst_case).toBe(73.221041);
  });

  it("the local backend costs nothing; a reused idle instance adds no new instance", () => {
    const local = planCost({
      offer: { backend: "local", price: 0, disk_gb: 100 },
      instances: 1,
      idleDuration: 300,
    });
    expect(planCostText(local)).toBe("Cost: $0/h (the local backend is this machine)");
    expect(planCostJson(local)).toMatchObject({ hourly: 0, idle_worst_case: 0 });
    const reused = reusedCost("aws-ab12cd", hourlyCost(G5).total, 300);
    expect(planCostText(reused)).toBe(
      "Cost: no new instance (reusing idle instance aws-ab12cd, already billed at $1.017/h)",
    );
    expect(planCostText(reusedCost("local-ab12cd", 0, 300))).toBe(
      "Cost: no new instance (reusing idle instance local-ab12cd)",
    );
    expect(planCostJson(reused)).toMatchObject({
      hourly: 0,
      instances: 0,
      idle_worst_case: 0,
      reused_instance: "aws-ab12cd",
    });
  });
});
