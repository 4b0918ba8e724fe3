// Detached retrying (issue 6, section 5): `apply -d` under `retry` on no-capacity returns once the
// first pass found no capacity, leaving a background process (dstack _provision) that carries on the
// same loop; `ps` shows the run pending with its attempt and next try; the run is submitted once the
// simulated capacity fault clears; `stop` cancels a pending run leaving nothing behind. Real engine,
// real Docker, faults injected through ~/.dstack/config.yml, waits shrunk by DSTACK_BACKOFF_SCALE.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localImages, requireDockerImages, tryDocker } from "./docker.js";
import { cliSync, e2eEnv, instanceContainers, poolFile, poolStack, runCli } from "./e2e-cli.js";
import { until } from "../until.js";
import { requirePulumi } from "./pulumi-path.js";

const repo = mkdtempSync(join(tmpdir(), "dstack-detached-repo-"));
const instances = new Set<string>();
const pids = new Set<number>();

interface PsRun {
  name: string;
  status: string;
  status_text?: string;
  zone: string | null;
  instance: string | null;
  pending?: { pid: number | null; attempts: number; next_try_at: string | null; instance: string };
}

function userWith(faults: string): { home: string; env: Record<string, string> } {
  const home = mkdtempSync(join(tmpdir(), "dstack-detached-home-"));
  mkdirSync(join(home, ".dstack"));
  writeFileSync(
    join(home, ".dstack", "config.yml"),
    `backends:\n  - type: local\n    zones: [zone-a, zone-b]\n    faults: {${faults}}\n`,
  );
  // Backoff 0.4x: the waits between passes are 6 s, 12 s, 24 s...
  return { home, env: e2eEnv(home, { DSTACK_BACKOFF_SCALE: "0.4" }) };
}

function psJson(env: Record<string, string>, all = false): PsRun[] {
  const r = cliSync(["ps", ...(all ? ["-a"] : []), "--json"], { cwd: repo, env });
  expect(r.code, r.out).toBe(0);
  return (JSON.parse(r.stdout) as { runs: PsRun[] }).runs;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ");
  } catch {
    return false;
  }
};

/** `apply -d` under retry with no capacity: returns with the run pending and its process started. */
async function applyPending(env: Record<string, string>): Promise<{ pid: number; instance: string }> {
  const r = await runCli(["apply", "-f", "retry.dstack.yml", "-y", "-d"], { cwd: repo, env });
  expect(r.code, r.out).toBe(0);
  // Only the first pass ran in the foreground (its two attempts), never a wait or a later pass.
  expect(r.stderr.match(/\.\.\. no capacity \(InsufficientInstanceCapacity\)/g)).toHaveLength(2);
  expect(r.stdout).toMatch(
    /^waited is pending: no capacity yet after 2 attempts; retrying in the background \(pid \d+\)/,
  );
  expect(r.stderr).toContain("Attempt 2/2: local zone-b ... no capacity (InsufficientInstanceCapacity)");
  expect(r.stderr).not.toContain("No capacity in this pass");
  const run = psJson(env).find((x) => x.name === "waited");
  expect(run?.status).toBe("pending");
  const pid = run?.pending?.pid ?? -1;
  pids.add(pid);
  expect(alive(pid)).toBe(true);
  instances.add(run?.pending?.instance ?? "");
  return { pid, instance: run?.pending?.instance ?? "" };
}

function expectNothingLeft(home: string, instance: string): void {
  const stack = poolStack(home);
  expect(stack.locked, "the pool stack is still locked").toBe(false);
  expect(stack.pending, "pending operations in the pool stack").toBe(0);
  expect(stack.instances).toEqual([]);
  expect(poolFile(home)).toEqual([]);
  expect(instanceContainers(instance)).toEqual([]);
}

describe("detached retrying (apply -d under retry)", () => {
  beforeAll(() => {
    execFileSync("git", ["init", "-q"], { cwd: repo });
    writeFileSync(
      join(repo, "retry.dstack.yml"),
      "type: task\nname: waited\ncommands: [sleep 600]\nidle_duration: 1s\nretry:\n  on_events: [no-capacity]\n  duration: 5m\n",
    );
  });

  afterAll(() => {
    for (const pid of pids) if (alive(pid)) process.kill(pid, "SIGKILL");
    for (const name of instances)
      for (const c of instanceContainers(name)) tryDocker(["rm", "-f", "-v", c.name]);
  }, 60_000);

  it("returns with a pending run, ps shows it waiting, and it runs once capacity appears", async () => {
    requirePulumi();
    requireDockerImages(localImages().instance, localImages().base);
    const { home, env } = userWith("no_capacity: [zone-a, zone-b], no_capacity_until_file: capacity");
    const { pid, instance } = await applyPending(env);

    // Between passes: `ps` says why it waits, how many attempts were made and when the next one is.
    const line = await until(
      "ps to show the wait",
      () => {
        const out = cliSync(["ps"], { cwd: repo, env }).stdout;
        return /pending \(no capacity, attempt \d+, next try in [\d.]+s\)/.test(out) ? out : undefined;
      },
      30_000,
    );
    expect(line).toMatch(/^ waited +local +\S.* +- +pending \(no capacity, attempt [2-9], next try in/m);
    const log = join(home, ".dstack", "logs", "provision-waited.log");
    expect(existsSync(log)).toBe(true);

    // Capacity appears (the test writes the fault's file): the background process lands and submits.
    writeFileSync(join(home, ".dstack", "capacity"), "");
    const running = await until(
      "the run to be submitted",
      () => psJson(env).find((x) => x.name === "waited" && x.status === "running"),
      90_000,
    );
    expect(running.zone).toMatch(/^zone-[ab]$/);
    expect(running.instance).toBe(instance);
    expect(readFileSync(log, "utf8")).toMatch(/submitted waited on \S+ \(zone-[ab]\)/);
    expect(existsSync(join(home, ".dstack", "pending", "waited.json"))).toBe(false);
    await until("the retrying process to exit", () => (alive(pid) ? undefined : true), 10_000);
    expect(poolStack(home).instances).toEqual([{ name: instance, zone: running.zone }]);
    expect(poolStack(home).locked).toBe(false);

    const stopped = cliSync(["stop", "waited", "-y"], { cwd: repo, env });
    expect(stopped.code, stopped.out).toBe(0);
    await until(
      "the idle instance to be reaped",
      () => (poolFile(home).length === 0 ? true : undefined),
      60_000,
    );
    expectNothingLeft(home, instance);
  }, 240_000);

  it("stop cancels a pending run mid-attempt: no process, no container, nothing in the stack", async () => {
    const { home, env } = userWith("no_capacity: [zone-a, zone-b]");
    const { pid, instance } = await applyPending(env);
    // Stop while an attempt of the second pass is under way: Pulumi cancels it, the attempt cleans up.
    await until(
      "an attempt of the background process",
      () => (cliSync(["ps"], { cwd: repo, env }).stdout.includes("in progress)") ? true : undefined),
      30_000,
    );
    const stopped = cliSync(["stop", "waited", "-y"], { cwd: repo, env });
    expect(stopped.code, stopped.out).toBe(0);
    expect(stopped.stdout).toMatch(
      /^Cancelled waited: it was pending \(no capacity, attempt \d+ in progress\); the retrying process \d+ exited and nothing was provisioned for it\./,
    );
    expect(alive(pid)).toBe(false);
    expect(existsSync(join(home, ".dstack", "pending", "waited.json"))).toBe(false);
    expect(psJson(env, true)).toEqual([]);
    expectNothingLeft(home, instance);
  }, 120_000);
});
