// `dstack pool list | ps | remove` over pool records as dstack writes them: the kinds of pool, each
// instance's status (provisioning while its creator runs, busy with runs or a fresh claim, else idle),
// --json, and the refusals (unknown pool, unknown instance, an instance being created) that change
// nothing. Removal through a real stack is covered by test/integration/fleet-runs.test.ts.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
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

  it("list: default-pool (the default), each fleet, with idle/total instances; -v adds where", () => {
    const r = dstack(["pool", "list"], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/default-pool +yes +pool +1\/3/);
    expect(r.stdout).toMatch(/gpus +fleet +1\/1/);
    expect(dstack(["pool", "list", "-v"], { env }).stdout).toMatch(/gpus +fleet +1\/1 +- +aws us-east-1/);
    const json = JSON.parse(dstack(["pool", "list", "--json"], { env }).stdout) as { pools: unknown[] };
    expect(json.pools).toContainEqual({
      name: "gpus",
      kind: "fleet",
      default: false,
      available: 1,
      total: 1,
      created_at: null,
      where: ["aws us-east-1"],
    });
  });

  it("ps: each instance's status, offer, cost so far and idle_duration; --pool narrows it", () => {
    const r = dstack(["pool", "ps"], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /local-aaaaaa +default-pool +local +local +local +on-demand +\$0 +\$0 +idle +5m +1h \d+m ago/,
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

  it("create, set-default, delete: named pools, refusals that change nothing", () => {
    const h2 = home();
    const env2 = { HOME: h2 };
    expect(dstack(["pool", "create", "-n", "a100s"], { env: env2 }).code).toBe(0);
    const again = dstack(["pool", "create", "-n", "a100s"], { env: env2 });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('a pool named "a100s" already exists');
    expect(dstack(["pool", "create", "-n", "A100s"], { env: env2 }).stderr).toContain(
      "is not a valid pool name",
    );
    expect(dstack(["pool", "create", "-n", "gpus"], { env: env2 }).stderr).toContain(
      'a pool named "gpus" already exists',
    );

    const unknown = dstack(["pool", "set-default", "--pool", "a100"], { env: env2 });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('did you mean "a100s"?');
    expect(dstack(["pool", "set-default", "--pool", "gpus"], { env: env2 }).stderr).toContain(
      "a fleet's pool",
    );
    expect(dstack(["pool", "set-default", "--pool", "a100s"], { env: env2 }).code).toBe(0);
    expect(dstack(["pool", "list"], { env: env2 }).stdout).toMatch(/a100s +yes +pool +0\/0/);

    // A pool with instances is not deleted; default-pool never is; deleting the default falls back.
    const always = dstack(["pool", "delete", "-n", "default-pool", "-y"], { env: env2 });
    expect(always.code).toBe(1);
    expect(always.stderr).toContain("default-pool always exists");
    const file = join(h2, ".dstack", "pools", "local.json");
    const original = readFileSync(file, "utf8");
    writeFileSync(
      file,
      original.replace('"name":"local-aaaaaa",', '"name":"local-aaaaaa","pool_name":"a100s",'),
    );
    expect(dstack(["pool", "list"], { env: env2 }).stdout).toMatch(/a100s +yes +pool +1\/1/);
    expect(dstack(["pool", "ps", "--pool", "a100s"], { env: env2 }).stdout).toMatch(/local-aaaaaa +a100s/);
    const busy = dstack(["pool", "delete", "-n", "a100s", "-y"], { env: env2 });
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain("pool a100s still has 1 instance: local-aaaaaa");
    writeFileSync(file, original);
    expect(dstack(["pool", "delete", "-n", "a100s", "-y"], { env: env2 }).code).toBe(0);
    expect(dstack(["pool", "list"], { env: env2 }).stdout).toMatch(/default-pool +yes/);
    expect(dstack(["pool", "list"], { env: env2 }).stdout).not.toContain("a100s");
  });

  it("apply --pool and pool add --pool refuse an unknown pool before anything", () => {
    const h2 = home();
    const env2 = { HOME: h2 };
    const project = mkdtempSync(join(tmpdir(), "dstack-pool-cli-project-"));
    writeFileSync(join(project, "task.dstack.yml"), "type: task\ncommands: [hostname]\n");
    const apply = dstack(["apply", "-f", join(project, "task.dstack.yml"), "-y", "--pool", "nope"], {
      env: env2,
      cwd: project,
    });
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('no pool named "nope"');
    const add = dstack(["pool", "add", "-b", "local", "-y", "--pool", "gpus"], { env: env2 });
    expect(add.code).toBe(1);
    expect(add.stderr).toContain('"gpus" is a fleet\'s pool');
    expect(existsSync(join(h2, ".dstack", "runs"))).toBe(false);
  });
});
