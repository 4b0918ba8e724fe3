// The cost in the plans (issue 13): `apply` of a run and of a fleet and `pool add` show, after the
// infrastructure diff and before anything is asked, what the first offer costs per hour (instance +
// root volume) and at worst while idle, and a failover's dearest offer; --json carries the numbers
// under `cost`, DSTACK_PROGRESS=json as `plan.cost`. Dry runs on the fake AWS through the real engine.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installFakeCloud } from "../fake-cloud/install.js";
import { listResources } from "../fake-cloud/state.js";
import { runCli, type CliRun } from "./e2e-cli.js";
import { fleetUser, type FleetUser } from "./fleet-e2e.js";
import { requirePulumi } from "./pulumi-path.js";

const tmp = mkdtempSync(join(tmpdir(), "dstack-plan-cost-"));
const repo = join(tmp, "repo");
const homes: string[] = [];
let fakeBin = "";

const WHERE = "backends: [aws]\nregions: [us-east-1]\nspot_policy: on-demand\n";

function user(): FleetUser {
  const u = fleetUser(fakeBin, "backends:\n  - type: aws\n");
  homes.push(u.home);
  return u;
}

function file(name: string, body: string): string {
  writeFileSync(join(repo, name), body);
  return name;
}

const cli = (u: FleetUser, args: string[], extra: Record<string, string> = {}): Promise<CliRun> =>
  runCli(args, { cwd: repo, env: { ...u.env, ...extra }, timeoutMs: 180_000 });

/** The diff, then the cost line, then the end of the dry run: in that order on stderr. */
function expectCostAfterDiff(r: CliRun, cost: string): void {
  expect(r.code, r.out).toBe(0);
  const diff = r.stderr.indexOf("+  create");
  const line = r.stderr.indexOf(cost);
  expect(diff, r.stderr).toBeGreaterThanOrEqual(0);
  expect(line, r.stderr).toBeGreaterThan(diff);
  expect(r.stderr.indexOf("Dry run: nothing was changed.")).toBeGreaterThan(line);
}

describe.concurrent("the cost in the plans (fake AWS, real engine, dry runs)", () => {
  beforeAll(() => {
    requirePulumi();
    fakeBin = installFakeCloud(join(tmp, "fake-bin")).binDir;
    execFileSync("git", ["init", "-q", repo]);
  });

  afterAll(() => {
    for (const home of homes) rmSync(home, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  });

  it("apply of a task: t3.large + 100GB gp3, idle 5m at worst, and the dearer offer failover may take", async () => {
    const u = user();
    const task = file(
      "task.dstack.yml",
      `type: task\nname: priced\ncommands: [hostname]\ninstance_types: [t3.large, t3.xlarge]\n${WHERE}`,
    );
    const text = await cli(u, ["apply", "-f", task, "--dry-run"]);
    // $0.0832 + 100GB x $0.08 / 730 h; 5 minutes of that; t3.xlarge is $0.1664 + the same disk.
    expectCostAfterDiff(
      text,
      "Cost: $0.0942/h (instance $0.0832 + disk 100GB $0.011); idle up to 5m: at most $0.0078 more\n" +
        " (a failover to a later offer may cost up to $0.1774/h: see the offers above)\n",
    );
    const json = await cli(u, ["apply", "-f", task, "--dry-run", "--json"], { DSTACK_PROGRESS: "json" });
    expect(json.code, json.out).toBe(0);
    const cost = {
      hourly: 0.094159,
      instance_hourly: 0.0832,
      disk_hourly: 0.010959,
      disk_gb: 100,
      instances: 1,
      idle_duration_s: 300,
      idle_worst_case: 0.007847,
      failover_max_hourly: 0.177359,
      reused_instance: null,
    };
    expect((JSON.parse(json.stdout) as { cost: unknown }).cost).toEqual(cost);
    const progress = json.stderr
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { code: string; data?: unknown });
    expect(progress.find((m) => m.code === "plan.cost")?.data).toEqual(cost);
    expect(listResources(u.cloud)).toEqual([]);
  }, 240_000);

  it("apply of a fleet: every node, idle for the fleet's 3 days at worst", async () => {
    const u = user();
    const fleet = file(
      "fleet.dstack.yml",
      `type: fleet\nname: pair\nnodes: 2\ninstance_types: [t3.large]\n${WHERE}`,
    );
    const text = await cli(u, ["apply", "-f", fleet, "--dry-run"]);
    expectCostAfterDiff(
      text,
      "Cost: $0.1883/h for 2 instances ($0.0942/h each: instance $0.0832 + disk 100GB $0.011); idle up to 3d: at most $13.5589 more\n",
    );
    const json = await cli(u, ["apply", "-f", fleet, "--dry-run", "--json"]);
    expect(json.code, json.out).toBe(0);
    expect((JSON.parse(json.stdout) as { cost: unknown }).cost).toMatchObject({
      hourly: 0.188318,
      instances: 2,
      idle_duration_s: 259200,
      idle_worst_case: 13.558882,
      failover_max_hourly: null,
    });
  }, 240_000);

  it("pool add: idle from the start for 72h, or never torn down with --idle-duration off", async () => {
    const u = user();
    const flags = ["-b", "aws", "-r", "us-east-1", "--instance-type", "t3.large", "--on-demand", "--dry-run"];
    const text = await cli(u, ["pool", "add", ...flags]);
    expectCostAfterDiff(
      text,
      "Cost: $0.0942/h (instance $0.0832 + disk 100GB $0.011); idle up to 3d: at most $6.7794 more\n",
    );
    const off = await cli(u, ["pool", "add", ...flags, "--idle-duration", "off", "--json"]);
    expect(off.code, off.out).toBe(0);
    expect(off.stderr).toContain("idle: off (no limit): billed until removed");
    expect(JSON.parse(off.stdout)).toMatchObject({
      dry_run: true,
      attempts: expect.any(Array) as unknown,
      cost: { hourly: 0.094159, idle_duration_s: null, idle_worst_case: null },
    });
  }, 240_000);
});
