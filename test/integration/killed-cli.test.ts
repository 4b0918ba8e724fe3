// The CLI killed with SIGKILL mid-attempt (issue 6, section 8): `apply` is killed, with its `pulumi` and
// the provider, while the engine creates the instance (its container already started, cloud-init still
// booting). That leaves the worst state a crash can: the pool stack locked by a dead process, the create
// pending in the state, a container nobody records, and a pool entry naming the dead creator. The next
// command must clean all of it up, say so in one line, and leave everything consistent.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localImages, requireDockerImages, tryDocker } from "./docker.js";
import {
  cliSync,
  e2eEnv,
  instanceContainers,
  poolFile,
  poolStack,
  runCli,
  spawnCliGroup,
} from "./e2e-cli.js";
import { until } from "../until.js";
import { requirePulumi } from "./pulumi-path.js";

const repo = mkdtempSync(join(tmpdir(), "dstack-killed-repo-"));
const instances = new Set<string>();

function freshUser(): { home: string; env: Record<string, string> } {
  const home = mkdtempSync(join(tmpdir(), "dstack-killed-home-"));
  mkdirSync(join(home, ".dstack"));
  return { home, env: e2eEnv(home) };
}

/** Starts `apply` and SIGKILLs its whole process group as soon as the instance's container exists. */
async function killMidCreate(env: Record<string, string>): Promise<{ name: string; pid: number }> {
  const cli = spawnCliGroup(["apply", "-f", "task.dstack.yml", "-y", "-d"], { cwd: repo, env });
  const name = await until(
    "the Provisioning line",
    () => /Provisioning instance (\S+)\.\.\./.exec(cli.out())?.[1],
    60_000,
    { intervalMs: 100 },
  );
  instances.add(name);
  await until(
    "the instance container",
    () => (instanceContainers(name).length > 0 ? true : undefined),
    60_000,
    { intervalMs: 100 },
  );
  cli.killGroup("SIGKILL");
  expect(await cli.closed).toBe(null); // killed by the signal, no exit code
  return { name, pid: cli.child.pid ?? -1 };
}

/** What the kill must have left: the state every later assertion shows cleaned up. */
function expectLeftovers(home: string, name: string, pid: number): void {
  const stack = poolStack(home);
  expect(stack.locked, "the dead pulumi's lock").toBe(true);
  expect(stack.pending, "the create left pending").toBe(1);
  expect(poolFile(home)).toMatchObject([{ name, creator: { pid } }]);
  expect(instanceContainers(name)).not.toEqual([]);
}

function expectClean(home: string, name: string): void {
  const stack = poolStack(home);
  expect(stack.locked, "the pool stack is still locked").toBe(false);
  expect(stack.pending, "pending operations in the pool stack").toBe(0);
  expect(stack.instances.map((i) => i.name)).not.toContain(name);
  expect(stack.instances.map((i) => i.name).sort()).toEqual(
    poolFile(home)
      .map((i) => i.name)
      .sort(),
  );
  expect(poolFile(home).map((i) => i.name)).not.toContain(name);
  expect(instanceContainers(name), `containers of ${name}`).toEqual([]);
}

describe("the CLI killed with SIGKILL mid-attempt", () => {
  beforeAll(() => {
    execFileSync("git", ["init", "-q"], { cwd: repo });
    writeFileSync(
      join(repo, "task.dstack.yml"),
      "type: task\nname: survivor\ncommands: [sleep 600]\nidle_duration: 1s\n",
    );
  });

  afterAll(() => {
    for (const name of instances)
      for (const c of instanceContainers(name)) tryDocker(["rm", "-f", "-v", c.name]);
  }, 60_000);

  it("the next `dstack ps` cleans up: no container, stack unlocked, no pending operation", async () => {
    requirePulumi();
    requireDockerImages(localImages().instance, localImages().base);
    const { home, env } = freshUser();
    const { name, pid } = await killMidCreate(env);
    expectLeftovers(home, name, pid);

    const ps = cliSync(["ps"], { cwd: repo, env });
    expect(ps.code, ps.out).toBe(0);
    const line = ps.stderr.split("\n").filter((l) => l.startsWith("Cleaned up"));
    expect(line).toHaveLength(1);
    expect(line[0]).toMatch(
      new RegExp(
        `^Cleaned up after an interrupted dstack \\(pid ${pid}(, \\d+)*\\): removed the half-created instance ${name}, removed the stale lock on stack pool-local, dropped 1 pending operation\\.$`,
      ),
    );
    expectClean(home, name);
    expect(poolFile(home)).toEqual([]);

    // Nothing left to clean: the next command says nothing.
    const again = cliSync(["ps"], { cwd: repo, env });
    expect(again.stderr).not.toContain("Cleaned up");
  }, 120_000);

  it("the next `dstack apply` cleans up first, then provisions as usual", async () => {
    const { home, env } = freshUser();
    const { name, pid } = await killMidCreate(env);
    expectLeftovers(home, name, pid);

    const r = await runCli(["apply", "-f", "task.dstack.yml", "-y", "-d"], { cwd: repo, env });
    expect(r.code, r.out).toBe(0);
    expect(r.stderr).toContain(`Cleaned up after an interrupted dstack (pid ${pid}`);
    expect(r.stderr).toContain(`removed the half-created instance ${name}`);
    const fresh = /Provisioning instance (\S+)\.\.\./.exec(r.stderr)?.[1] ?? "";
    instances.add(fresh);
    expectClean(home, name);
    expect(poolStack(home).instances.map((i) => i.name)).toEqual([fresh]);
    expect(poolFile(home)).toEqual([expect.objectContaining({ name: fresh })]);
    // The new entry no longer names a creator: its create completed.
    expect(poolFile(home)[0]).not.toHaveProperty("creator");

    const stopped = cliSync(["stop", "survivor", "-y"], { cwd: repo, env });
    expect(stopped.code, stopped.out).toBe(0);
    await until(
      "the idle instance to be reaped",
      () => (poolFile(home).length === 0 ? true : undefined),
      60_000,
    );
    expect(instanceContainers(fresh)).toEqual([]);
    expectClean(home, fresh);
  }, 180_000);
});
