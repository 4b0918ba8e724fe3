// Runs on a cloud when the cloud misbehaves (issue 11, part 4), against the fake cloud with booting on:
// a capacity error in the first zone moves the run's instance to the next zone, leaving nothing of the
// failed attempt; an instance that vanishes (a spot reclaim: removeResource) is noticed by the reaper
// (its sshd silent, then a refresh of the pool stack confirms it) and the run is resubmitted on a new
// instance with `retry` on interruption, or reported interrupted without it. Each case has its own
// user and store, so they run at once.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installFakeCloud } from "../fake-cloud/install.js";
import { bootedContainers, removeResource, writeFaults } from "../fake-cloud/state.js";
import { bootingUser, cleanUp } from "./fake-cloud-boot.js";
import { cliSync, runCli } from "./e2e-cli.js";
import { localImages, requireDockerImages } from "./docker.js";
import { attemptLines, instancesIn, orphans, stackStates, type FleetUser } from "./fleet-e2e.js";
import { requirePulumi } from "./pulumi-path.js";
import { until } from "../until.js";

const AWS = "backends:\n  - type: aws\n";
const WHERE = "backends: [aws]\nregions: [us-east-1]\ninstance_types: [t3.large]\nspot_policy: on-demand\n";
const POOL = "aws-us-east-1";

const tmp = mkdtempSync(join(tmpdir(), "dstack-cloud-run-faults-"));
const repo = join(tmp, "repo");
const users: FleetUser[] = [];
let fakeBin = "";

interface PsRun {
  name: string;
  instance: string;
  zone: string | null;
  status: string;
  resubmissions: number;
  interrupted_at: string | null;
}

const ps = (u: FleetUser): PsRun[] =>
  (JSON.parse(cliSync(["ps", "-a", "--json"], { cwd: repo, env: u.env }).stdout) as { runs: PsRun[] }).runs;

function pool(u: FleetUser): { name: string; id?: string; zone?: string | null }[] {
  try {
    const file = join(u.home, ".dstack", "pools", `${POOL}.json`);
    return (JSON.parse(readFileSync(file, "utf8")) as { instances: { name: string; id?: string }[] })
      .instances;
  } catch {
    return [];
  }
}

function user(): FleetUser {
  const u = bootingUser(fakeBin, AWS);
  u.env.DSTACK_REAPER_INTERVAL_MS = "1000";
  users.push(u);
  return u;
}

/** Nothing of the user's left anywhere: pool file, fake cloud, state, Docker. */
async function expectAllGone(u: FleetUser): Promise<void> {
  await until("the pool to be empty", () => (pool(u).length === 0 ? true : undefined), 180_000);
  expect(instancesIn(u.cloud)).toEqual([]);
  expect(orphans(u)).toEqual([]);
  expect(stackStates(u.home).filter((s) => s.ids.length > 0 || s.locked || s.pending > 0)).toEqual([]);
  expect(bootedContainers(u.cloud)).toEqual([]);
}

function task(name: string, retry: boolean): string {
  const file = `${name}.dstack.yml`;
  const retrying = retry ? "retry:\n  on_events: [interruption]\n  duration: 10m\n" : "";
  writeFileSync(
    join(repo, file),
    `type: task\nname: ${name}\ncommands: [sleep 900]\nidle_duration: 2s\n${retrying}${WHERE}`,
  );
  return file;
}

/** Applies the task (-d) and removes its instance behind the engine's back, as a spot reclaim does. */
async function runThenReclaim(u: FleetUser, name: string, retry: boolean): Promise<string> {
  const applied = await runCli(["apply", "-f", task(name, retry), "-y", "-d"], { cwd: repo, env: u.env });
  expect(applied.code, applied.out).toBe(0);
  const run = ps(u).find((r) => r.name === name);
  expect(run?.status).toBe("running");
  const instance = pool(u).find((i) => i.name === run?.instance);
  expect(instance?.id).toEqual(expect.any(String));
  expect(removeResource(u.cloud, "aws", instance?.id ?? "")).toBe(true);
  return run?.instance ?? "";
}

describe.concurrent("runs on a misbehaving cloud (fake AWS, booting)", () => {
  beforeAll(() => {
    requirePulumi();
    requireDockerImages(localImages().instance, localImages().base);
    fakeBin = installFakeCloud(join(tmp, "fake-bin")).binDir;
    mkdirSync(repo, { recursive: true });
    execFileSync("git", ["init", "-q"], { cwd: repo });
  });

  afterAll(() => cleanUp(users), 120_000);

  it("no capacity in the first zone: the run's instance lands in the next one", async () => {
    const u = user();
    const file = task("zoned", false);
    const dry = await runCli(["apply", "-f", file, "--dry-run", "--json"], { cwd: repo, env: u.env });
    expect(dry.code, dry.out).toBe(0);
    const zones = (JSON.parse(dry.stdout) as { attempts: { zone: string }[] }).attempts.map((a) => a.zone);
    expect(zones.length).toBeGreaterThan(1);
    writeFaults(u.cloud, [{ cloud: "aws", error: "capacity", zone: zones[0] }]);

    const applied = await runCli(["apply", "-f", file, "-y", "-d"], { cwd: repo, env: u.env });
    expect(applied.code, applied.out).toBe(0);
    const lines = attemptLines(applied.stderr);
    expect(lines.slice(0, 4)).toEqual([
      `Attempt 1/${zones.length}: aws us-east-1 ${zones[0]} (t3.large, on-demand)...`,
      `Attempt 1/${zones.length}: aws us-east-1 ${zones[0]} ... no capacity (InsufficientInstanceCapacity), trying the next zone`,
      `Attempt 2/${zones.length}: aws us-east-1 ${zones[1]} (t3.large, on-demand)...`,
      `Attempt 2/${zones.length}: aws us-east-1 ${zones[1]} ... provisioned`,
    ]);
    expect(ps(u).find((r) => r.name === "zoned")).toMatchObject({ status: "running", zone: zones[1] });
    // The failed attempt left nothing: one instance in the cloud, in the stack, in Docker.
    expect(instancesIn(u.cloud)).toHaveLength(1);
    expect(orphans(u)).toEqual([]);
    expect(bootedContainers(u.cloud)).toHaveLength(1);

    expect(cliSync(["stop", "zoned", "-y"], { cwd: repo, env: u.env }).code).toBe(0);
    await expectAllGone(u);
  }, 600_000);

  it("an instance reclaimed under a run with retry on interruption: resubmitted on a new instance", async () => {
    const u = user();
    const gone = await runThenReclaim(u, "phoenix", true);
    const resubmitted = await until(
      "the run to be resubmitted and running",
      () => ps(u).find((r) => r.name === "phoenix" && r.status === "running" && r.instance !== gone),
      300_000,
    );
    expect(resubmitted.resubmissions).toBe(1);
    expect(resubmitted.instance).toMatch(/^aws-[0-9a-f]{6}$/);
    expect(readFileSync(join(u.home, ".dstack", "logs", "reaper.log"), "utf8")).toContain(
      `instance ${gone} disappeared: run phoenix resubmitted on a new instance (retry on interruption)`,
    );
    expect(pool(u).map((i) => i.name)).toEqual([resubmitted.instance]);
    expect(instancesIn(u.cloud)).toHaveLength(1);

    expect(cliSync(["stop", "phoenix", "-y"], { cwd: repo, env: u.env }).code).toBe(0);
    await expectAllGone(u);
  }, 600_000);

  it("an instance reclaimed under a run without retry: the run is reported interrupted", async () => {
    const u = user();
    const gone = await runThenReclaim(u, "mortal", false);
    const interrupted = await until(
      "the run to be reported interrupted",
      () => ps(u).find((r) => r.name === "mortal" && r.status === "interrupted"),
      180_000,
    );
    expect(interrupted).toMatchObject({ instance: gone, resubmissions: 0 });
    expect(cliSync(["ps", "-a"], { cwd: repo, env: u.env }).stdout).toMatch(
      new RegExp(`mortal .* interrupted \\(instance ${gone} disappeared\\)`),
    );
    await expectAllGone(u);
  }, 600_000);
});
