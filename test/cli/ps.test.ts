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
      /^ NAME +BACKEND +INSTANCE +REGION +ZONE +TYPE +SPOT +RESOURCES +PRICE +STATUS +SUBMITTED$/,
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
      / waiting +local +2\.\.xCPU +- +pending \(no capacity, attempt 7, next try in 2m\) /,
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
