// `dstack ps` from the run records alone (no instance answers): -v and --json say where each run landed.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ownStamp } from "../../src/process-identity.js";
import type { RunRecord } from "../../src/runs/store.js";
import { runRecord } from "../unit/toolkit/homes.js";
import { dstack } from "./run-cli.js";

function homeWithRuns(runs: RunRecord[]): string {
  const home = mkdtempSync(join(tmpdir(), "dstack-ps-"));
  mkdirSync(join(home, ".dstack", "runs"), { recursive: true });
  for (const run of runs)
    writeFileSync(join(home, ".dstack", "runs", `${run.name}.json`), JSON.stringify(run));
  return home;
}

const run = runRecord;

describe("dstack ps", () => {
  const home = homeWithRuns([
    run("zoned", { region: "local", zone: "zone-c" }),
    run("clouded", {
      backend: "aws",
      region: "us-east-1",
      zone: "use1-az2",
      instance: "aws-ab12cd",
      instance_type: "g5.xlarge",
      spot: true,
    }),
    // A record from before zones were recorded.
    run("older", { submitted_at: "2025-12-31T00:00:00.000Z" }),
  ]);

  it("-v shows the instance, region, zone, instance type and spot of each run", () => {
    const r = dstack(["ps", "-a", "-v"], { env: { HOME: home } });
    expect(r.code, r.stderr).toBe(0);
    const [head, ...rows] = r.stdout.trimEnd().split("\n");
    expect(head).toMatch(
      /^ NAME +BACKEND +INSTANCE +REGION +ZONE +TYPE +SPOT +RESOURCES +PRICE +COST +STATUS +SUBMITTED$/,
    );
    expect(rows.find((l) => l.includes("zoned"))).toMatch(
      /zoned +local +local-zoned +local +zone-c +- +- +2\.\.xCPU/,
    );
    expect(rows.find((l) => l.includes("older"))).toMatch(/older +local +local-older +- +- +- +- +2\.\.xCPU/);
    expect(rows.find((l) => l.includes("clouded"))).toMatch(
      /clouded +aws +aws-ab12cd +us-east-1 +use1-az2 +g5\.xlarge +yes +2\.\.xCPU/,
    );
    // Without -v, the columns stay as they were.
    expect(dstack(["ps", "-a"], { env: { HOME: home } }).stdout).not.toContain("ZONE");
  });

  it("--json has the backend, region, zone, instance type and spot", () => {
    const r = dstack(["ps", "-a", "--json"], { env: { HOME: home } });
    const runs = (JSON.parse(r.stdout) as { runs: Record<string, unknown>[] }).runs;
    expect(runs.map((x) => [x.name, x.backend, x.region, x.zone, x.instance_type, x.spot, x.status])).toEqual(
      [
        ["older", "local", null, null, null, null, "ended"],
        ["clouded", "aws", "us-east-1", "use1-az2", "g5.xlarge", true, "ended"],
        ["zoned", "local", "local", "zone-c", null, null, "ended"],
      ],
    );
  });
});

describe("dstack ps: what each run has cost", () => {
  // A run on a g5.xlarge whose instance (100GB gp3 root volume) its pool still holds, submitted two
  // hours ago; its agent does not answer, so it may still run: it costs until now.
  const twoHoursAgo = new Date(Date.now() - 2 * 3600_000).toISOString();
  const home = homeWithRuns([
    run("costly", {
      backend: "aws",
      pool: "aws-us-east-1",
      instance: "aws-cd34ef",
      price: 1.006,
      submitted_at: twoHoursAgo,
    }),
    // Its instance torn down, nobody knows when it ended.
    run("gone", { backend: "aws", pool: "aws-us-east-1", instance: "aws-gone00", price: 1.006 }),
  ]);
  mkdirSync(join(home, ".dstack", "pools"), { recursive: true });
  writeFileSync(
    join(home, ".dstack", "pools", "aws-us-east-1.json"),
    JSON.stringify({
      record_version: 1,
      name: "aws-us-east-1",
      backend: "aws",
      region: "us-east-1",
      instances: [
        {
          name: "aws-cd34ef",
          created_at: twoHoursAgo,
          idle_duration: 300,
          instance_type: "g5.xlarge",
          spot: false,
          price: 1.006,
          spec: {
            name: "aws-cd34ef",
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
          // A port nothing listens on: the agent does not answer.
          host: "127.0.0.1",
          ssh_port: 1,
          active_runs: ["costly"],
        },
      ],
    }),
  );

  it("COST: its instance's price with the disk since submission; --json has price_hourly and cost_accrued", () => {
    const r = dstack(["ps", "-a"], { env: { HOME: home } });
    expect(r.code, r.stderr).toBe(0);
    // 1.006 + 100 * 0.08 / 730 = $1.016959 per hour, for two hours.
    expect(r.stdout).toMatch(/costly +aws +2\.\.xCPU +\$1\.006 +\$2\.03 +unreachable/);
    expect(r.stdout).toMatch(/gone +aws +2\.\.xCPU +\$1\.006 +- +ended/);
    const runs = (
      JSON.parse(dstack(["ps", "-a", "--json"], { env: { HOME: home } }).stdout) as {
        runs: { name: string; price_hourly: number; cost_accrued: number | null }[];
      }
    ).runs;
    const costly = runs.find((x) => x.name === "costly");
    expect(costly?.price_hourly).toBe(1.016959);
    expect(costly?.cost_accrued).toBeGreaterThanOrEqual(2.033918);
    expect(costly?.cost_accrued).toBeLessThan(2.04);
    expect(runs.find((x) => x.name === "gone")).toMatchObject({ price_hourly: 1.006, cost_accrued: null });
  });
});

describe("dstack ps and stop: runs pending in the background", () => {
  const pendingRecord = (name: string, pid: number, start: number | null) => ({
    name,
    type: "task",
    backend: "local",
    status: "pending",
    reason: "no capacity",
    attempts: 7,
    pass: 3,
    next_try_at: new Date(Date.now() + 125_000).toISOString(),
    trying: null,
    process: { pid, host: hostname(), start },
    instance: `local-${name}`,
    resources: "2..xCPU",
    submitted_at: "2026-01-01T00:00:00.000Z",
    retry_until: "2026-01-01T01:00:00.000Z",
    config_file: "retry.dstack.yml",
    cwd: "/repo",
    backend_url: "file:///nowhere",
    log_file: "/nowhere/provision.log",
    spec: {},
  });

  function homeWithPending(records: ReturnType<typeof pendingRecord>[]): string {
    const home = mkdtempSync(join(tmpdir(), "dstack-ps-pending-"));
    mkdirSync(join(home, ".dstack", "pending"), { recursive: true });
    for (const r of records)
      writeFileSync(join(home, ".dstack", "pending", `${r.name}.json`), JSON.stringify(r));
    return home;
  }

  // This test's own process stands in for a live retrying process; an exited one for a dead one.
  const me = ownStamp();
  const dead = Number(
    spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" })
      .stdout,
  );

  it("shows a live pending run with its attempt and next try; a dead one only with -a, as failed", () => {
    const home = homeWithPending([
      pendingRecord("waiting", me.pid, me.start),
      pendingRecord("orphaned", dead, null),
    ]);
    const ps = dstack(["ps"], { env: { HOME: home } });
    expect(ps.code, ps.stderr).toBe(0);
    expect(ps.stdout).toMatch(
      / waiting +local +2\.\.xCPU +- +- +pending \(no capacity, attempt 7, next try in 2m\) /,
    );
    expect(ps.stdout).not.toContain("orphaned");
    const all = dstack(["ps", "-a"], { env: { HOME: home } });
    expect(all.stdout).toMatch(new RegExp(`orphaned .* failed \\(the retrying process ${dead} exited\\)`));
    const runs = (
      JSON.parse(dstack(["ps", "--json"], { env: { HOME: home } }).stdout) as {
        runs: { name: string; status: string; pending: { pid: number; attempts: number } }[];
      }
    ).runs;
    expect(runs).toMatchObject([
      { name: "waiting", status: "pending", pending: { pid: me.pid, attempts: 7 } },
    ]);
  });

  it("attach says the run has no instance yet; stop forgets a pending run whose process is gone", () => {
    const home = homeWithPending([pendingRecord("orphaned", dead, null)]);
    const attach = dstack(["attach", "orphaned"], { env: { HOME: home } });
    expect(attach.code).toBe(1);
    expect(attach.stderr).toContain("run orphaned has no instance yet: it is failed (the retrying process");
    const stop = dstack(["stop", "orphaned", "-y"], { env: { HOME: home } });
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout).toContain("Forgot orphaned: it was failed (the retrying process");
    expect(dstack(["ps", "-a"], { env: { HOME: home } }).stdout).toContain("No runs.");
  });
});
