// `dstack apply` of cloud fleets end to end: the built CLI, the real Pulumi engine and the fake cloud
// (test/fake-cloud, loaded from PATH in place of aws/gcp/azure-native), with capacity faults by zone,
// region, instance type and spot, each with the cloud's own error text. Every failed attempt is a real
// failed update that must leave nothing behind. After every scenario: nothing in the fake cloud that no
// stack holds, no pending operations, no lock, and after `dstack delete` nothing at all.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installFakeCloud } from "../fake-cloud/install.js";
import { faultAttempts, listResources, writeFaults } from "../fake-cloud/state.js";
import { cliSync, runCli, type CliRun } from "./e2e-cli.js";
import { attemptLines, fleetUser, instancesIn, orphans, stackStates, type FleetUser } from "./fleet-e2e.js";
import { requirePulumi } from "./pulumi-path.js";

const tmp = mkdtempSync(join(tmpdir(), "dstack-cloud-failover-"));
const repo = join(tmp, "repo");
const homes: string[] = [];
let fakeBin = "";

interface FleetJson {
  name: string;
  status: string;
  backend: string;
  region: string;
  zone: string | null;
  instance_type: string;
  spot: boolean;
  price: number;
  instances: { name: string; id: string; zone: string; public_ip: string; spot: boolean }[];
  stack: { project: string; stack: string; backend_url: string };
}

function user(config?: string, extra?: Record<string, string>): FleetUser {
  const u = fleetUser(fakeBin, config, extra);
  homes.push(u.home);
  return u;
}

function fleetFile(name: string, body: string): string {
  const file = `${name}.dstack.yml`;
  writeFileSync(join(repo, file), `type: fleet\nname: ${name}\n${body}`);
  return file;
}

const apply = (u: FleetUser, file: string, ...flags: string[]): Promise<CliRun> =>
  runCli(["apply", "-f", file, "-y", ...flags], { cwd: repo, env: u.env, timeoutMs: 180_000 });

function fleetOf(r: CliRun): FleetJson {
  expect(r.code, r.out).toBe(0);
  return (JSON.parse(r.stdout) as { fleet: FleetJson }).fleet;
}

/** Nothing in the fake cloud that no stack holds; every stack unlocked and without pending operations. */
function expectClean(u: FleetUser): void {
  expect(orphans(u).map((r) => `${r.type} ${r.id}`)).toEqual([]);
  for (const s of stackStates(u.home)) {
    expect(s.pending, `pending operations in ${s.project}/${s.stack}`).toBe(0);
    expect(s.locked, `${s.project}/${s.stack} is locked`).toBe(false);
  }
}

/** `dstack delete` destroys the stack: nothing is left in the cloud, the state or ~/.dstack/fleets. */
function expectDeleted(u: FleetUser, name: string): void {
  const r = cliSync(["delete", name, "-y"], { cwd: repo, env: u.env });
  expect(r.code, r.out).toBe(0);
  expect(r.stdout).toContain(`Deleted the fleet ${name}`);
  expect(listResources(u.cloud).map((x) => x.type)).toEqual([]);
  expect(stackStates(u.home)).toEqual([]);
  const ps = JSON.parse(cliSync(["ps", "--json"], { cwd: repo, env: u.env }).stdout) as { fleets: unknown[] };
  expect(ps.fleets).toEqual([]);
}

describe("apply of cloud fleets through the failover loop (fake cloud, real engine)", () => {
  beforeAll(() => {
    requirePulumi();
    fakeBin = installFakeCloud(join(tmp, "fake-bin")).binDir;
    execFileSync("git", ["init", "-q", repo]);
  });

  afterAll(() => {
    for (const home of homes) rmSync(home, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  });

  it("provisions every node on the first offer with capacity, in one zone; ps shows it; delete leaves nothing", async () => {
    const u = user();
    const file = fleetFile(
      "pair",
      "nodes: 2\nplacement: cluster\nbackends: [aws]\nregions: [us-east-1]\ninstance_types: [t3.large]\nspot_policy: on-demand\n",
    );
    const r = await apply(u, file, "--json");
    const fleet = fleetOf(r);
    expect(r.stderr).toMatch(/create\s.*aws:ec2\/instance:Instance/);
    expect(fleet).toMatchObject({
      name: "pair",
      status: "provisioned",
      backend: "aws",
      region: "us-east-1",
      zone: "use1-az1",
      instance_type: "t3.large",
      spot: false,
      stack: { project: "dstack-main-aws-pair", stack: "fleet" },
    });
    expect(fleet.instances).toHaveLength(2);
    const cloudInstances = instancesIn(u.cloud);
    expect(cloudInstances.map((i) => i.id).sort()).toEqual(fleet.instances.map((i) => i.id).sort());
    // placement: cluster -> one zone for all; the zone and the IPs come from the stack's outputs.
    expect(new Set(cloudInstances.map((i) => i.outputs.availabilityZone))).toEqual(new Set(["us-east-1a"]));
    for (const i of fleet.instances) {
      expect(i.zone).toBe("us-east-1a");
      expect(i.public_ip).toMatch(/^203\.0\.113\.\d+$/);
    }
    expectClean(u);

    const ps = JSON.parse(cliSync(["ps", "--json"], { cwd: repo, env: u.env }).stdout) as {
      fleets: FleetJson[];
    };
    expect(ps.fleets).toMatchObject([
      // Both nodes: 2 x ($0.0832 + 100GB of gp3 at $0.08 / 730 h); a few seconds old.
      { name: "pair", status: "provisioned", zone: "use1-az1", price_hourly: 0.188318 },
    ]);
    expect((ps.fleets[0] as { cost_accrued?: number }).cost_accrued).toBeLessThan(0.05);
    // The plan said so before the question, and --json has it.
    expect(r.stderr).toContain("Cost: $0.1883/h for 2 instances");
    expect((JSON.parse(r.stdout) as { cost: unknown }).cost).toMatchObject({
      hourly: 0.188318,
      instances: 2,
    });
    expect(ps.fleets[0]?.instances.map((i) => i.public_ip)).toEqual(fleet.instances.map((i) => i.public_ip));
    const table = cliSync(["ps"], { cwd: repo, env: u.env }).stdout;
    expect(table).toMatch(/Fleets:/);
    expect(table).toMatch(
      /pair\s+aws\s+us-east-1\/us-east-1a\s+t3\.large\s+on-demand\s+\$0\.0832\s+(<\$0\.01|\$[\d.]+)\s+2\/2\s+provisioned \(203\.0\.113/,
    );

    // Applying the same name again is refused: nothing changes in place yet.
    const again = await apply(u, file);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("fleet pair already exists");
    expectDeleted(u, "pair");
  }, 180_000);
  it("a zone without capacity moves to the next zone of the same region; each failed zone is named with AWS's code", async () => {
    const u = user();
    writeFaults(u.cloud, [
      { cloud: "aws", error: "capacity", zone: "use1-az1" },
      { cloud: "aws", error: "capacity", zone: "use1-az2" },
    ]);
    const file = fleetFile(
      "zonal",
      "nodes: 1\nbackends: [aws]\nregions: [us-east-1]\ninstance_types: [t3.large]\nspot_policy: on-demand\n",
    );
    const r = await apply(u, file, "-v", "--json");
    const fleet = fleetOf(r);
    expect(r.stderr).toMatch(/Attempt order:[\s\S]*use1-az1[\s\S]*use1-az2[\s\S]*use1-az4/);
    expect(attemptLines(r.stderr)).toEqual([
      "Attempt 1/5: aws us-east-1 use1-az1 (t3.large, on-demand)...",
      "Attempt 1/5: aws us-east-1 use1-az1 ... no capacity (InsufficientInstanceCapacity), trying the next zone",
      "Attempt 2/5: aws us-east-1 use1-az2 (t3.large, on-demand)...",
      "Attempt 2/5: aws us-east-1 use1-az2 ... no capacity (InsufficientInstanceCapacity), trying the next zone",
      "Attempt 3/5: aws us-east-1 use1-az4 (t3.large, on-demand)...",
      "Attempt 3/5: aws us-east-1 use1-az4 ... provisioned",
    ]);
    expect(fleet).toMatchObject({ region: "us-east-1", zone: "use1-az4" });
    // The fake maps AZ ids to names in letter order: use1-az4 is us-east-1d.
    expect(instancesIn(u.cloud).map((i) => i.outputs.availabilityZone)).toEqual(["us-east-1d"]);
    expectClean(u);
    expectDeleted(u, "zonal");
  }, 180_000);

  it("a region out of quota moves to the next region", async () => {
    const u = user();
    writeFaults(u.cloud, [{ cloud: "aws", error: "quota", code: "VcpuLimitExceeded", region: "us-east-1" }]);
    const file = fleetFile(
      "regional",
      "nodes: 1\nbackends: [aws]\nregions: [us-east-1, us-west-2]\navailability_zones: [use1-az1, use1-az2, usw2-az1]\ninstance_types: [t3.large]\nspot_policy: on-demand\n",
    );
    const r = await apply(u, file, "--json");
    const fleet = fleetOf(r);
    const lines = attemptLines(r.stderr);
    // us-east-1 is left after its first zone: quota is per region, so its other zone is skipped.
    expect(lines.filter((l) => l.includes("use1-az2"))).toEqual([]);
    expect(lines).toContain(
      "Attempt 1/3: aws us-east-1 use1-az1 ... quota exceeded (VcpuLimitExceeded), skipping the rest of aws us-east-1, trying the next offer",
    );
    expect(lines.at(-1)).toBe("Attempt 3/3: aws us-west-2 usw2-az1 ... provisioned");
    expect(fleet).toMatchObject({ region: "us-west-2", zone: "usw2-az1" });
    expect(instancesIn(u.cloud).map((i) => i.outputs.availabilityZone)).toEqual(["us-west-2a"]);
    expectClean(u);
    expectDeleted(u, "regional");
  }, 180_000);

  it("an instance type without capacity moves to the next offer", async () => {
    const u = user();
    writeFaults(u.cloud, [
      { cloud: "aws", error: "capacity", code: "Unsupported", instance_type: "t3.large" },
    ]);
    const file = fleetFile(
      "typed",
      "nodes: 1\nbackends: [aws]\nregions: [us-east-1]\navailability_zones: [use1-az1]\ninstance_types: [t3.large, m5.large]\nspot_policy: on-demand\n",
    );
    const r = await apply(u, file, "--json");
    const fleet = fleetOf(r);
    expect(attemptLines(r.stderr)).toEqual([
      "Attempt 1/2: aws us-east-1 use1-az1 (t3.large, on-demand)...",
      "Attempt 1/2: aws us-east-1 use1-az1 ... no capacity (Unsupported), trying the next offer",
      "Attempt 2/2: aws us-east-1 use1-az1 (m5.large, on-demand)...",
      "Attempt 2/2: aws us-east-1 use1-az1 ... provisioned",
    ]);
    expect(fleet.instance_type).toBe("m5.large");
    expect(instancesIn(u.cloud).map((i) => i.inputs.instanceType)).toEqual(["m5.large"]);
    expectClean(u);
    expectDeleted(u, "typed");
  }, 180_000);

  it("spot_policy auto falls back to on-demand when spot has no capacity", async () => {
    const u = user();
    writeFaults(u.cloud, [{ cloud: "aws", error: "capacity", spot: true }]);
    const file = fleetFile(
      "thrifty",
      "nodes: 1\nbackends: [aws]\nregions: [us-east-1]\navailability_zones: [use1-az1]\ninstance_types: [t3.large]\nspot_policy: auto\n",
    );
    const r = await apply(u, file, "--json");
    const fleet = fleetOf(r);
    expect(attemptLines(r.stderr)).toEqual([
      "Attempt 1/2: aws us-east-1 use1-az1 (t3.large, spot)...",
      "Attempt 1/2: aws us-east-1 use1-az1 ... no capacity (InsufficientInstanceCapacity), trying the next offer",
      "Attempt 2/2: aws us-east-1 use1-az1 (t3.large, on-demand)...",
      "Attempt 2/2: aws us-east-1 use1-az1 ... provisioned",
    ]);
    expect(fleet).toMatchObject({ spot: false });
    expect(fleet.instances[0]?.spot).toBe(false);
    const [instance] = instancesIn(u.cloud);
    expect(instance?.inputs.instanceMarketOptions).toBeUndefined();
    expect(instance?.outputs.instanceLifecycle).not.toBe("spot");
    expectClean(u);
    expectDeleted(u, "thrifty");
  }, 180_000);

  it("capacity that appears later is found on a later pass under retry on no-capacity", async () => {
    const u = user(undefined, { DSTACK_BACKOFF_SCALE: "0.1" });
    // The first two passes (one attempt each) fail; the waits are 1.5 s and 3 s (15 s, 30 s x 0.1), and
    // the third pass gets through. By count, not by the clock: on a loaded machine a first create may
    // start many seconds after the apply.
    writeFaults(u.cloud, [{ cloud: "aws", error: "capacity", times: 2 }]);
    const file = fleetFile(
      "patient",
      "nodes: 1\nbackends: [aws]\nregions: [us-east-1]\navailability_zones: [use1-az1]\ninstance_types: [t3.large]\nspot_policy: on-demand\nretry:\n  on_events: [no-capacity]\n  duration: 5m\n",
    );
    const r = await apply(u, file, "--json");
    const fleet = fleetOf(r);
    // The waits are 15 s and 30 s, x 0.1.
    expect(r.stderr).toMatch(/No capacity in this pass \(1 attempt\); retrying in 1\.5s \(retry 1, /);
    expect(r.stderr).toMatch(/No capacity in this pass \(1 attempt\); retrying in 3s \(retry 2, /);
    // The first pass has one attempt (no start line); the later passes name theirs.
    const failed =
      "Attempt 1/1: aws us-east-1 use1-az1 ... no capacity (InsufficientInstanceCapacity), no offer left to try";
    expect(attemptLines(r.stderr)).toEqual([
      failed,
      "Attempt 1/1: aws us-east-1 use1-az1 (t3.large, on-demand)...",
      failed,
      "Attempt 1/1: aws us-east-1 use1-az1 (t3.large, on-demand)...",
      "Attempt 1/1: aws us-east-1 use1-az1 ... provisioned",
    ]);
    expect(faultAttempts(u.cloud, 0)).toBe(2);
    expect(fleet.zone).toBe("use1-az1");
    expect(instancesIn(u.cloud)).toHaveLength(1);
    expectClean(u);
    expectDeleted(u, "patient");
  }, 180_000);

  it("every offer without capacity and no retry: exit 1 with the failure report, nothing left", async () => {
    const u = user();
    writeFaults(u.cloud, [{ cloud: "aws", error: "capacity" }]);
    const file = fleetFile(
      "doomed",
      "nodes: 2\nbackends: [aws]\nregions: [us-east-1]\navailability_zones: [use1-az1, use1-az2]\ninstance_types: [t3.large, m5.large]\nspot_policy: on-demand\n",
    );
    const r = await apply(u, file, "--json");
    expect(r.code, r.out).toBe(1);
    const report = (
      JSON.parse(r.stdout) as {
        provisioned: boolean;
        failure_report: { tries: Record<string, unknown>[]; relax: string[] };
      }
    ).failure_report;
    expect(report.tries.map((t) => [t.backend, t.region, t.zone, t.instance_type, t.spot, t.code])).toEqual([
      ["aws", "us-east-1", "use1-az1", "t3.large", false, "InsufficientInstanceCapacity"],
      ["aws", "us-east-1", "use1-az2", "t3.large", false, "InsufficientInstanceCapacity"],
      ["aws", "us-east-1", "use1-az1", "m5.large", false, "InsufficientInstanceCapacity"],
      ["aws", "us-east-1", "use1-az2", "m5.large", false, "InsufficientInstanceCapacity"],
    ]);
    // What AWS said, once per attempt: the failed instances' message as the engine's diagnostic gave it.
    for (const t of report.tries)
      expect(t.message).toMatch(
        /^creating EC2 Instance: operation error EC2: RunInstances, https response error StatusCode: 500, RequestID: [0-9a-f-]{36}, api error InsufficientInstanceCapacity: We currently do not have sufficient [^\n]*$/,
      );
    expect(r.stderr).toContain("Provisioning failed: 4 attempts failed.");
    expect(r.stderr).toMatch(
      /4\s+aws\s+us-east-1\s+use1-az2\s+m5\.large\s+on-demand\s+\S+\s+InsufficientInstanceCapacity/,
    );
    expect(listResources(u.cloud)).toEqual([]);
    expect(stackStates(u.home)).toEqual([]);
    const ps = JSON.parse(cliSync(["ps", "--json"], { cwd: repo, env: u.env }).stdout) as {
      fleets: unknown[];
    };
    expect(ps.fleets).toEqual([]);
  }, 180_000);

  it("GCP: ZONE_RESOURCE_POOL_EXHAUSTED in the first zone moves to the next zone", async () => {
    const u = user("backends:\n  - type: gcp\n    project: dstack-test\n");
    writeFaults(u.cloud, [
      { cloud: "gcp", error: "capacity", code: "ZONE_RESOURCE_POOL_EXHAUSTED", zone: "us-central1-a" },
    ]);
    const file = fleetFile(
      "gfleet",
      "nodes: 2\nplacement: cluster\nbackends: [gcp]\nregions: [us-central1]\ninstance_types: [e2-standard-4]\nspot_policy: on-demand\n",
    );
    const r = await apply(u, file, "--json");
    const fleet = fleetOf(r);
    const lines = attemptLines(r.stderr);
    expect(lines.slice(0, 2)).toEqual([
      "Attempt 1/4: gcp us-central1 us-central1-a (e2-standard-4, on-demand)...",
      "Attempt 1/4: gcp us-central1 us-central1-a ... no capacity (ZONE_RESOURCE_POOL_EXHAUSTED), trying the next zone",
    ]);
    expect(lines.at(-1)).toBe("Attempt 2/4: gcp us-central1 us-central1-b ... provisioned");
    expect(fleet).toMatchObject({ backend: "gcp", region: "us-central1", zone: "us-central1-b" });
    expect(fleet.stack.project).toBe("dstack-main-gcp-gfleet");
    const instances = instancesIn(u.cloud);
    expect(instances).toHaveLength(2);
    expect(new Set(instances.map((i) => i.inputs.zone))).toEqual(new Set(["us-central1-b"]));
    // The project comes from config.yml's gcp backend.
    for (const i of instances)
      expect(i.outputs.selfLink as string).toContain("/projects/dstack-test/zones/us-central1-b/");
    expectClean(u);
    expectDeleted(u, "gfleet");
  }, 180_000);
});
