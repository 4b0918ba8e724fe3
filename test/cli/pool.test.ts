// `dstack pool list | ps | remove` over pool records as dstack writes them: the kinds of pool, each
// instance's status (provisioning while its creator runs, busy with runs or a fresh claim, else idle),
// --json, and the refusals (unknown pool, unknown instance, an instance being created) that change
// nothing. Removal through a real stack is covered by test/integration/fleet-runs.test.ts.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ownStamp } from "../../src/process-identity.js";
import { dstack } from "./run-cli.js";

const HOUR_AGO = new Date(Date.now() - 3600_000).toISOString();

function home(): string {
  const h = mkdtempSync(join(tmpdir(), "dstack-pool-cli-"));
  const pools = join(h, ".dstack", "pools");
  mkdirSync(pools, { recursive: true });
  const instance = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    created_at: HOUR_AGO,
    idle_duration: 300,
    host: "127.0.0.1",
    ssh_port: 10022,
    ssh_user: "root",
    instance_type: "local",
    spot: false,
    price: 0,
    ...extra,
  });
  const write = (name: string, record: Record<string, unknown>) =>
    writeFileSync(join(pools, `${name}.json`), JSON.stringify({ record_version: 1, ...record }));
  write("local", {
    name: "local",
    backend: "local",
    region: "local",
    instances: [
      instance("local-aaaaaa"),
      instance("local-bbbbbb", { active_runs: ["train"] }),
      // Being created by a live process (this test's): provisioning, and not removable.
      { name: "local-cccccc", created_at: HOUR_AGO, idle_duration: 300, creator: ownStamp() },
    ],
  });
  write("gpus", {
    name: "gpus",
    fleet: "gpus",
    backend: "aws",
    region: "us-east-1",
    instances: [
      instance("gpus-0", {
        idle_duration: 259200,
        instance_type: "g5.xlarge",
        price: 1.006,
        zone: "use1-az1",
        spec: {
          name: "gpus-0",
          instance_type: "g5.xlarge",
          accelerator: null,
          tpu: false,
          gpu_vendor: "nvidia",
          gpu_count: 1,
          zone: "use1-az1",
          spot: false,
          max_price: null,
          reservation: null,
          disk_gb: 100,
          image: null,
          volumes: [],
        },
      }),
    ],
  });
  return h;
}

describe("dstack pool", () => {
  const h = home();
  const env = { HOME: h };

  it("list: every pool with its kind and idle/total instances", () => {
    const r = dstack(["pool", "list"], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/gpus +fleet +aws +us-east-1 +1\/1/);
    expect(r.stdout).toMatch(/local +runs +local +local +1\/3/);
    const json = JSON.parse(dstack(["pool", "list", "--json"], { env }).stdout) as { pools: unknown[] };
    expect(json.pools).toContainEqual({
      name: "gpus",
      kind: "fleet",
      backend: "aws",
      region: "us-east-1",
      available: 1,
      total: 1,
    });
  });

  it("ps: each instance's status, offer, cost so far and idle_duration; --pool narrows it", () => {
    const r = dstack(["pool", "ps"], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /local-aaaaaa +local +local +local +local +on-demand +\$0 +\$0 +idle +5m +1h \d+m ago/,
    );
    expect(r.stdout).toMatch(/local-bbbbbb .* busy \(train\)/);
    expect(r.stdout).toMatch(/local-cccccc .* provisioning/);
    expect(r.stdout).toMatch(
      /gpus-0 +gpus +aws +us-east-1\/use1-az1 +g5\.xlarge +on-demand +\$1\.006 +\$1\.02 +idle +3d/,
    );
    const json = JSON.parse(dstack(["pool", "ps", "--pool", "gpus", "--json"], { env }).stdout) as {
      instances: { name: string; status: string; price_hourly: number; cost_accrued: number }[];
    };
    expect(json.instances.map((i) => [i.name, i.status])).toEqual([["gpus-0", "idle"]]);
    // The offer's price plus its 100GB gp3 root volume (1.006 + 100 * 0.08 / 730), for the hour since
    // it was created (and the seconds this test took).
    const [gpus] = json.instances;
    expect(gpus?.price_hourly).toBe(1.016959);
    expect(gpus?.cost_accrued).toBeGreaterThanOrEqual(1.016959);
    expect(gpus?.cost_accrued).toBeLessThan(1.03);
  });

  it("refuses an unknown pool, an unknown instance and one being created, changing nothing", () => {
    const before = readFileSync(join(h, ".dstack", "pools", "local.json"), "utf8");
    const pool = dstack(["pool", "ps", "--pool", "gpu"], { env });
    expect(pool.code).toBe(1);
    expect(pool.stderr).toContain('error: no pool named "gpu"');
    expect(pool.stderr).toContain('did you mean "gpus"?');
    const instance = dstack(["pool", "remove", "local-aaaaab", "-y"], { env });
    expect(instance.code).toBe(1);
    expect(instance.stderr).toContain('no instance named "local-aaaaab"');
    expect(instance.stderr).toContain('did you mean "local-aaaaaa"?');
    const creating = dstack(["pool", "remove", "local-cccccc", "-y"], { env });
    expect(creating.code).toBe(1);
    expect(creating.stderr).toContain("instance local-cccccc is being created");
    const sub = dstack(["pool", "lst"], { env });
    expect(sub.code).toBe(2);
    expect(sub.stderr).toContain('did you mean "list"?');
    expect(readFileSync(join(h, ".dstack", "pools", "local.json"), "utf8")).toBe(before);
  });
});
