// What a run costs in `dstack ps`: its instance's hourly price (with the root volume while its pool
// describes the instance) from its submission until it finished, until now while it may still run,
// unknown once its instance was torn down before anyone asked; and a plan that reuses an idle instance.
import { describe, expect, it } from "vitest";
import { roundUsd } from "../../../src/catalog/cost.js";
import type { PoolRecord } from "../../../src/pools/pool-store.js";
import type { RunView } from "../../../src/runtime-agent/run-view.js";
import { runCost, runPlanCost } from "../../../src/runs/run-cost.js";
import { writePool } from "../../../src/pools/pool-store.js";
import { runEnd } from "../../../src/toolkit/run-status.js";
import { runRecord, tempHome } from "../toolkit/homes.js";

const NOW = Date.parse("2026-01-01T02:00:00.000Z");
const record = runRecord("train", {
  backend: "aws",
  pool: "aws-us-east-1",
  instance: "aws-ab12cd",
  price: 1.006,
  submitted_at: "2026-01-01T00:00:00.000Z",
});
const pool: PoolRecord = {
  name: "aws-us-east-1",
  backend: "aws",
  region: "us-east-1",
  instances: [
    {
      name: "aws-ab12cd",
      created_at: "2025-12-31T23:00:00.000Z",
      idle_duration: 300,
      price: 1.006,
      spec: {
        name: "aws-ab12cd",
        instance_type: "g5.xlarge",
        accelerator: null,
        tpu: false,
        gpu_vendor: "nvidia",
        gpu_count: 1,
        zone: null,
        spot: false,
        max_price: null,
        reservation: null,
        disk_gb: 100,
        image: null,
        volumes: [],
      },
    },
  ],
};
const instance = { pool, instance: pool.instances[0]! };
const finished = { finished_at: "2026-01-01T01:30:00.000Z" } as RunView;
const running = { finished_at: null } as RunView;

describe("run cost", () => {
  it("ends when the run finished, now while it may run, unknown once its instance is gone", () => {
    expect(runEnd(record, finished, null, NOW)).toBe(Date.parse("2026-01-01T01:30:00.000Z"));
    expect(runEnd(record, running, null, NOW)).toBe(NOW);
    expect(runEnd(record, undefined, "unreachable", NOW)).toBe(NOW);
    expect(runEnd(record, undefined, "ended", NOW)).toBeNull();
    const cut = { ...record, interrupted_at: "2026-01-01T00:45:00.000Z" };
    expect(runEnd(cut, undefined, "interrupted", NOW)).toBe(Date.parse(cut.interrupted_at));
  });

  it("the instance's price with its disk, from the submission (not the instance's creation)", () => {
    const cost = runCost({ record, instance, end: NOW });
    expect(roundUsd(cost.hourly)).toBe(1.016959);
    expect(roundUsd(cost.accrued ?? -1)).toBe(2.033918);
    // Without its pool record: the offer's price alone.
    expect(runCost({ record, instance: undefined, end: NOW })).toEqual({ hourly: 1.006, accrued: 2.012 });
    expect(runCost({ record, instance, end: null }).accrued).toBeNull();
  });

  it("a plan reusing an idle instance: nothing new, and what that instance is billed already", () => {
    const home = tempHome();
    writePool(home, pool);
    const offer = { backend: "aws", price: 1.006, disk_gb: 120 } as never;
    const reused = runPlanCost({
      home,
      offer,
      idleDuration: 300,
      reused: { pool: pool.name, name: "aws-ab12cd", host: "h", port: 22, user: "u", zone: null, offer },
    });
    expect(reused).toMatchObject({ instances: 0, reused: { name: "aws-ab12cd" } });
    // Its own disk (100GB), not the size this run's offer would have chosen.
    expect(roundUsd(reused.reused?.hourly ?? -1)).toBe(1.016959);
    const fresh = runPlanCost({ home, offer, idleDuration: 300 });
    expect(fresh).toMatchObject({ instances: 1, reused: null, each: { disk_gb: 120 } });
  });
});
