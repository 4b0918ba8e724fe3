// Capacity failover end to end (issue 6, section 8, the local half): the built CLI, the real Pulumi
// engine and Docker, with capacity faults injected into the local backend through ~/.dstack/config.yml.
// A faulted create fails inside the dynamic provider, so every failed attempt is a real failed update
// that must leave nothing behind. After every scenario: nothing orphaned in Docker, the pool stack
// unlocked, without pending operations, and holding exactly the instances of the pool file.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN } from "../cli/run-cli.js";
import { localImages, requireDockerImages, tryDocker } from "./docker.js";
import { cliSync, e2eEnv, instanceContainers, poolFile, poolStack, runCli } from "./e2e-cli.js";
import { until } from "../until.js";
import { requirePulumi } from "./pulumi-path.js";

const repo = mkdtempSync(join(tmpdir(), "dstack-failover-repo-"));
const instances = new Set<string>();
const homes: string[] = [];

/** A fresh user with the given ~/.dstack/config.yml. */
function userWith(config: string): { home: string; env: Record<string, string> } {
  const home = mkdtempSync(join(tmpdir(), "dstack-failover-home-"));
  mkdirSync(join(home, ".dstack"));
  writeFileSync(join(home, ".dstack", "config.yml"), config);
  homes.push(home);
  // Backoff 0.4x: 15 s, 30 s, ... become 6 s, 12 s, ...
  return { home, env: e2eEnv(home, { DSTACK_BACKOFF_SCALE: "0.4" }) };
}

const localBackend = (zones: string[], faults: string): string =>
  `backends:\n  - type: local\n    zones: [${zones.join(", ")}]\n    faults: {${faults}}\n`;

function instanceOf(out: string): string {
  const name = /Provisioning instance (\S+)\.\.\./.exec(out)?.[1];
  if (name === undefined) throw new Error(`no instance named in:\n${out}`);
  instances.add(name);
  return name;
}

/** Whatever the scenario did, the pool file, the stack and Docker agree, and nothing is locked. */
function expectConsistent(home: string): void {
  const stack = poolStack(home);
  const pooled = poolFile(home);
  expect(stack.locked, "the pool stack is still locked").toBe(false);
  expect(stack.pending, "pending operations in the pool stack").toBe(0);
  expect(stack.instances.map((i) => i.name).sort()).toEqual(pooled.map((i) => i.name).sort());
  const live = new Set(pooled.map((i) => i.name));
  for (const name of instances)
    if (!live.has(name)) expect(instanceContainers(name), `containers of ${name}`).toEqual([]);
}

/** Stops the run; its instance idles for 1 s, then the reaper destroys it through the stack. */
async function expectTornDown(
  home: string,
  env: Record<string, string>,
  run: string,
  name: string,
): Promise<void> {
  const stopped = cliSync(["stop", run, "-y"], { cwd: repo, env });
  expect(stopped.code, stopped.out).toBe(0);
  await until(
    "the idle instance to be reaped",
    () => (poolFile(home).length === 0 ? true : undefined),
    60_000,
  );
  expect(instanceContainers(name)).toEqual([]);
  expectConsistent(home);
}

describe("capacity failover on the local backend", () => {
  beforeAll(() => {
    execFileSync("git", ["init", "-q"], { cwd: repo });
    writeFileSync(
      join(repo, "task.dstack.yml"),
      "type: task\nname: landed\ncommands: [echo landed-in-a-zone, sleep 600]\nidle_duration: 1s\n",
    );
    writeFileSync(
      join(repo, "retry.dstack.yml"),
      "type: task\nname: waited\ncommands: [sleep 600]\nidle_duration: 1s\nretry:\n  on_events: [no-capacity]\n  duration: 5m\n",
    );
  });

  afterAll(() => {
    // Leave nothing behind even when an assertion failed half-way.
    for (const name of instances)
      for (const c of instanceContainers(name)) tryDocker(["rm", "-f", "-v", c.name]);
  }, 60_000);

  it("fails over zone by zone and lands in the first zone with capacity", async () => {
    requirePulumi();
    requireDockerImages(localImages().instance, localImages().base);
    const { home, env } = userWith(
      localBackend(["zone-a", "zone-b", "zone-c"], "no_capacity: [zone-a, zone-b]"),
    );

    // -d: the run keeps its instance busy, so the reaper stays away while the state is checked.
    const r = await runCli(["apply", "-f", "task.dstack.yml", "-y", "-d"], { cwd: repo, env });
    expect(r.code, r.out).toBe(0);
    const name = instanceOf(r.out);
    const lines = r.stderr.split("\n").filter((l) => l.startsWith("Attempt "));
    expect(lines).toEqual([
      "Attempt 1/3: local zone-a (local, on-demand)...",
      "Attempt 1/3: local zone-a ... no capacity (InsufficientInstanceCapacity), trying the next zone",
      "Attempt 2/3: local zone-b (local, on-demand)...",
      "Attempt 2/3: local zone-b ... no capacity (InsufficientInstanceCapacity), trying the next zone",
      "Attempt 3/3: local zone-c (local, on-demand)...",
      "Attempt 3/3: local zone-c ... provisioned",
    ]);

    // Where it landed: ps -v and --json, the pool file, the stack's inputs and the container's label.
    const psv = cliSync(["ps", "-a", "-v"], { cwd: repo, env });
    expect(psv.out).toMatch(/landed\s+local\s+\S+\s+local\s+zone-c\s/);
    const runs = (
      JSON.parse(cliSync(["ps", "-a", "--json"], { cwd: repo, env }).stdout) as {
        runs: { name: string; zone: string | null; region: string | null; instance: string }[];
      }
    ).runs;
    expect(runs).toMatchObject([{ name: "landed", region: "local", zone: "zone-c", instance: name }]);
    expect(poolFile(home)).toMatchObject([{ name, zone: "zone-c" }]);
    expect(poolStack(home).instances).toEqual([{ name, zone: "zone-c" }]);
    // One instance container, in zone-c: the failed attempts left none.
    const own = instanceContainers(name).filter((c) => c.labels.includes("dstack.role=instance"));
    expect(own).toHaveLength(1);
    expect(own[0]?.labels).toContain("dstack.zone=zone-c");
    expectConsistent(home);
    await expectTornDown(home, env, "landed", name);
  }, 180_000);

  it("every zone without capacity and no retry: fails with the report, leaving nothing", async () => {
    const { home, env } = userWith(
      localBackend(["zone-a", "zone-b", "zone-c"], "no_capacity: [zone-a, zone-b, zone-c]"),
    );

    const r = await runCli(["apply", "-f", "task.dstack.yml", "-y", "--json"], { cwd: repo, env });
    expect(r.code, r.out).toBe(1);
    instanceOf(r.out);
    const report = JSON.parse(r.stdout) as {
      provisioned: boolean;
      failure_report: {
        tries: { zone: string; code: string; kind: string; message: string }[];
        relax: string[];
      };
    };
    expect(report.provisioned).toBe(false);
    expect(report.failure_report.tries.map((t) => [t.zone, t.code, t.kind])).toEqual([
      ["zone-a", "InsufficientInstanceCapacity", "capacity"],
      ["zone-b", "InsufficientInstanceCapacity", "capacity"],
      ["zone-c", "InsufficientInstanceCapacity", "capacity"],
    ]);
    // Each message is the dynamic provider's error exactly as the engine's diagnostic gave it: once,
    // without Pulumi's progress lines or "update failed" around it.
    for (const t of report.failure_report.tries)
      expect(t.message).toMatch(
        new RegExp(
          `^creating local instance: operation error EC2: RunInstances, .*api error InsufficientInstanceCapacity: .*\\(${t.zone}\\)\\. [^\\n]*\\]$`,
        ),
      );
    expect(r.stderr).toContain("error: Provisioning failed: 3 attempts failed.");
    expect(r.stderr).toMatch(
      / 3 +local +local +zone-c +local +on-demand +\$0 +InsufficientInstanceCapacity /,
    );
    expect(r.stderr).toContain("add `retry` to wait for capacity");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(poolFile(home)).toEqual([]);
    expect(poolStack(home).instances).toEqual([]);
    expectConsistent(home);
  }, 120_000);

  it("with retry on no-capacity, waits in the foreground and plans again until the fault clears", async () => {
    const { home, env } = userWith(
      localBackend(["zone-a", "zone-b"], "no_capacity: [zone-a, zone-b], no_capacity_until_file: capacity"),
    );
    // Without -d the retrying stays in this process (with -d it moves to the background:
    // detached-retry.test.ts); once the run is up and attached, Ctrl-C detaches and it keeps running.
    const child = spawn(process.execPath, [BIN, "apply", "-f", "retry.dstack.yml", "-y"], { cwd: repo, env });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    // Capacity appears once the first pass has failed in both zones: the test writes the fault's file.
    const beforeCapacity = await until(
      "the first pass to find no capacity",
      () => (out.includes("No capacity in this pass") ? out : undefined),
      120_000,
      { intervalMs: 100 },
    );
    expect(beforeCapacity).not.toContain("provisioned");
    writeFileSync(join(home, ".dstack", "capacity"), "");
    await until("the run to start", () => (out.includes("waited: running") ? true : undefined), 120_000);
    child.kill("SIGINT");
    const r = { code: await closed, out };
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain("Detached from waited; it keeps running");
    expect(r.out).not.toContain("is pending");
    const name = instanceOf(r.out);
    expect(r.out).toMatch(/No capacity in this pass \(2 attempts\); retrying in 6s \(retry 1, /);
    expect(r.out).toMatch(/Attempt [12]\/2: local zone-[ab] \.\.\. provisioned/);
    // It landed only after capacity appeared.
    expect(r.out.indexOf("... provisioned")).toBeGreaterThanOrEqual(beforeCapacity.length);
    const runs = (
      JSON.parse(cliSync(["ps", "-a", "--json"], { cwd: repo, env }).stdout) as {
        runs: { name: string; zone: string | null }[];
      }
    ).runs;
    expect(runs[0]?.zone).toMatch(/^zone-[ab]$/);
    expect(poolStack(home).instances).toEqual([{ name, zone: runs[0]?.zone }]);
    expectConsistent(home);
    await expectTornDown(home, env, "waited", name);
  }, 180_000);

  it("Ctrl-C while waiting for capacity exits 130 and leaves nothing", async () => {
    const { home, env } = userWith(localBackend(["zone-a"], "no_capacity: [zone-a]"));
    const child = spawn(process.execPath, [BIN, "apply", "-f", "retry.dstack.yml", "-y"], { cwd: repo, env });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    await until(
      "the backoff wait",
      () => (out.includes("No capacity in this pass") ? true : undefined),
      60_000,
    );
    instanceOf(out);
    child.kill("SIGINT");
    expect(await closed, out).toBe(130);
    expect(out).toContain("error: cancelled: the run waited was not submitted");
    expect(out).not.toMatch(/\n\s+at /);
    expect(poolFile(home)).toEqual([]);
    expect(poolStack(home).instances).toEqual([]);
    expectConsistent(home);
  }, 90_000);
});
