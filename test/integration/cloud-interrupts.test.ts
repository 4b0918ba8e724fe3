// Cloud fleet applies cut short (issue 6, sections 3 and 8): an attempt that outlives its deadline is
// cancelled and the next one tried; Ctrl-C mid-attempt exits 130; a SIGKILLed apply leaves a fleet that
// `ps` reports as interrupted and `dstack delete` cleans up. The fake cloud holds the create open
// (`delay_ms`, no error), the way the Terraform-bridged AWS provider keeps retrying a capacity error.
// After each: nothing in the fake cloud that no stack holds, and no pending operation or lock.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installFakeCloud } from "../fake-cloud/install.js";
import { faultAttempts, listResources, removeResource, writeFaults } from "../fake-cloud/state.js";
import { cliSync, runCli, spawnCliGroup, type GroupCli } from "./e2e-cli.js";
import { until } from "../until.js";
import { attemptLines, fleetUser, instancesIn, orphans, stackStates, type FleetUser } from "./fleet-e2e.js";
import { requirePulumi } from "./pulumi-path.js";

const tmp = mkdtempSync(join(tmpdir(), "dstack-cloud-interrupts-"));
const repo = join(tmp, "repo");
let fakeBin = "";

const FLEET =
  "type: fleet\nname: slow\nnodes: 1\nbackends: [aws]\nregions: [us-east-1]\ninstance_types: [t3.large]\nspot_policy: on-demand\n";
/** The first zone's create hangs for a minute; the others answer at once. */
const HANG = { cloud: "aws" as const, zone: "use1-az1", delay_ms: 60_000 };

function user(extra?: Record<string, string>): FleetUser {
  const u = fleetUser(fakeBin, undefined, extra);
  writeFaults(u.cloud, [HANG]);
  return u;
}

function expectNothingLeft(u: FleetUser): void {
  expect(orphans(u).map((r) => `${r.type} ${r.id}`)).toEqual([]);
  expect(instancesIn(u.cloud)).toEqual([]);
  for (const s of stackStates(u.home)) {
    expect(s.pending, `pending operations in ${s.project}/${s.stack}`).toBe(0);
    expect(s.locked, `${s.project}/${s.stack} is locked`).toBe(false);
  }
}

/** `apply` in its own process group, once its first attempt's create has reached the cloud (and hangs). */
async function applyHangingInFirstAttempt(u: FleetUser): Promise<GroupCli> {
  const cli = spawnCliGroup(["apply", "-f", "slow.dstack.yml", "-y"], { cwd: repo, env: u.env });
  await until(
    "the first attempt",
    () => (/Attempt 1\/\d+: .*\.\.\.\n/.test(cli.out()) ? true : undefined),
    60_000,
    { intervalMs: 100 },
  );
  // The hanging rule counts the create when the fake cloud receives it: the engine is mid-update.
  await until("the create in the cloud", () => (faultAttempts(u.cloud, 0) >= 1 ? true : undefined), 60_000, {
    intervalMs: 100,
  });
  return cli;
}

const fleets = (u: FleetUser): { name: string; status: string }[] =>
  (JSON.parse(cliSync(["ps", "--json"], { cwd: repo, env: u.env }).stdout) as { fleets: never[] }).fleets;

describe("cloud fleet applies cut short (fake cloud, real engine)", () => {
  beforeAll(() => {
    requirePulumi();
    fakeBin = installFakeCloud(join(tmp, "fake-bin")).binDir;
    execFileSync("git", ["init", "-q", repo]);
    writeFileSync(join(repo, "slow.dstack.yml"), FLEET);
  });

  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("an attempt past its deadline is cancelled, leaves nothing, and the next zone is tried", async () => {
    const u = user({ DSTACK_ATTEMPT_TIMEOUT: "4s" });
    const r = await runCli(["apply", "-f", "slow.dstack.yml", "-y"], {
      cwd: repo,
      env: u.env,
      timeoutMs: 120_000,
    });
    expect(r.code, r.out).toBe(0);
    const lines = attemptLines(r.stderr);
    expect(lines[1]).toMatch(
      /^Attempt 1\/\d+: aws us-east-1 use1-az1 \.\.\. no result within 4s, cancelled \(AttemptTimeout\), trying the next zone$/,
    );
    expect(lines.at(-1)).toMatch(/^Attempt 2\/\d+: aws us-east-1 use1-az2 \.\.\. provisioned$/);
    const instances = instancesIn(u.cloud);
    expect(instances.map((i) => i.inputs.availabilityZone ?? i.outputs.availabilityZone)).toEqual([
      "us-east-1b",
    ]);
    expect(orphans(u)).toEqual([]);
    expect(cliSync(["delete", "slow", "-y"], { cwd: repo, env: u.env }).code).toBe(0);
    expectNothingLeft(u);
    expect(listResources(u.cloud)).toEqual([]);
  }, 180_000);

  it("Ctrl-C during an attempt exits 130 and leaves nothing", async () => {
    const u = user();
    const cli = await applyHangingInFirstAttempt(u);
    cli.child.kill("SIGINT");
    expect(await cli.closed, cli.out()).toBe(130);
    expect(cli.out()).not.toMatch(/\n\s+at /);
    expect(fleets(u)).toEqual([]);
    expectNothingLeft(u);
    expect(listResources(u.cloud)).toEqual([]);
  }, 120_000);

  it("a SIGKILLed apply leaves a fleet ps reports as interrupted; delete cleans it up", async () => {
    const u = user();
    const cli = await applyHangingInFirstAttempt(u);
    cli.killGroup("SIGKILL");
    await cli.closed;
    expect(fleets(u)).toMatchObject([{ name: "slow", status: "interrupted" }]);
    const ps = cliSync(["ps"], { cwd: repo, env: u.env }).stdout;
    expect(ps).toContain("dstack delete slow cleans up");
    const r = cliSync(["delete", "slow", "-y"], { cwd: repo, env: u.env });
    expect(r.code, r.out).toBe(0);
    // The killed pulumi's lock: judged dead, removed, and said.
    expect(r.stderr).toMatch(
      /removed a stale lock of stack dstack-main-aws-slow\/fleet left by \S+@\S+ \(pid \d+, dead\)/,
    );
    expect(fleets(u)).toEqual([]);
    expectNothingLeft(u);
    expect(stackStates(u.home)).toEqual([]);
    expect(listResources(u.cloud)).toEqual([]);
  }, 120_000);

  it("an instance gone from the cloud (a spot reclaim) shows as interrupted after ps --refresh; delete cleans up", async () => {
    const u = fleetUser(fakeBin);
    writeFileSync(
      join(repo, "pair.dstack.yml"),
      FLEET.replace("name: slow", "name: pair").replace("nodes: 1", "nodes: 2"),
    );
    const r = await runCli(["apply", "-f", "pair.dstack.yml", "-y"], {
      cwd: repo,
      env: u.env,
      timeoutMs: 120_000,
    });
    expect(r.code, r.out).toBe(0);
    const [reclaimed, kept] = instancesIn(u.cloud);
    expect(removeResource(u.cloud, "aws", reclaimed?.id ?? "")).toBe(true);
    // Without --refresh, ps reads only what dstack recorded: it cannot know yet.
    expect(fleets(u)).toMatchObject([{ name: "pair", status: "provisioned" }]);
    const refreshed = cliSync(["ps", "--refresh", "--json"], { cwd: repo, env: u.env });
    expect(refreshed.code, refreshed.out).toBe(0);
    expect(refreshed.stderr).toContain(`instance ${reclaimed?.id ?? ""} is gone from aws`);
    const [fleet] = (JSON.parse(refreshed.stdout) as { fleets: { status: string; gone: string[] }[] }).fleets;
    expect(fleet).toMatchObject({ status: "interrupted", gone: [reclaimed?.id] });
    expect(cliSync(["ps"], { cwd: repo, env: u.env }).stdout).toMatch(
      /pair .*interrupted \(1 of 2 instances gone from the cloud: \S+; dstack delete pair cleans up\)/,
    );
    // The other instance is still there and still in the stack; delete takes it and everything else.
    expect(instancesIn(u.cloud).map((i) => i.id)).toEqual([kept?.id]);
    expect(orphans(u)).toEqual([]);
    expect(cliSync(["delete", "pair", "-y"], { cwd: repo, env: u.env }).code).toBe(0);
    expectNothingLeft(u);
    expect(listResources(u.cloud)).toEqual([]);
  }, 120_000);
});
