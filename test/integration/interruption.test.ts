// Interruption (issue 6, sections 4 and 8): a running run's instance disappears (its container removed,
// as a reclaimed spot instance would be). The reaper notices, updates the pool stack without it, and
// with `retry.on_events: [interruption]` resubmits the run on a new instance (ps shows it resubmitted);
// without retry the run is reported as interrupted. Real engine, real Docker, the built CLI.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localImages, requireDockerImages, tryDocker } from "./docker.js";
import { cliSync, e2eEnv, instanceContainers, poolFile, poolStack, runCli } from "./e2e-cli.js";
import { until } from "../until.js";
import { requirePulumi } from "./pulumi-path.js";

const repo = mkdtempSync(join(tmpdir(), "dstack-interrupt-repo-"));
const instances = new Set<string>();

interface PsRun {
  name: string;
  status: string;
  instance: string | null;
  resubmissions?: number;
  interrupted_at?: string | null;
}

function freshUser(): { home: string; env: Record<string, string> } {
  const home = mkdtempSync(join(tmpdir(), "dstack-interrupt-home-"));
  mkdirSync(join(home, ".dstack"));
  return { home, env: e2eEnv(home) };
}

const psJson = (env: Record<string, string>): PsRun[] =>
  (JSON.parse(cliSync(["ps", "-a", "--json"], { cwd: repo, env }).stdout) as { runs: PsRun[] }).runs;

/** apply -d, then remove the instance's container behind dstack's back; returns the instance. */
async function runThenVanish(env: Record<string, string>, file: string, run: string): Promise<string> {
  const r = await runCli(["apply", "-f", file, "-y", "-d"], { cwd: repo, env });
  expect(r.code, r.out).toBe(0);
  const instance = psJson(env).find((x) => x.name === run)?.instance ?? "";
  instances.add(instance);
  expect(tryDocker(["rm", "-f", `dstack-${instance}`]).code).toBe(0);
  return instance;
}

function expectGone(home: string, instance: string): void {
  const stack = poolStack(home);
  expect(stack.locked).toBe(false);
  expect(stack.pending).toBe(0);
  expect(stack.instances.map((i) => i.name)).not.toContain(instance);
  expect(stack.instances.map((i) => i.name).sort()).toEqual(
    poolFile(home)
      .map((i) => i.name)
      .sort(),
  );
  // The run's own container went with the instance: the stack's delete removes everything labelled.
  expect(instanceContainers(instance)).toEqual([]);
}

describe("an instance disappearing while its run runs", () => {
  beforeAll(() => {
    execFileSync("git", ["init", "-q"], { cwd: repo });
    writeFileSync(
      join(repo, "retry.dstack.yml"),
      "type: task\nname: phoenix\ncommands: [sleep 600]\nidle_duration: 1s\nretry:\n  on_events: [interruption]\n  duration: 5m\n",
    );
    writeFileSync(
      join(repo, "plain.dstack.yml"),
      "type: task\nname: mortal\ncommands: [sleep 600]\nidle_duration: 1s\n",
    );
  });

  afterAll(() => {
    for (const name of instances)
      for (const c of instanceContainers(name)) tryDocker(["rm", "-f", "-v", c.name]);
  }, 60_000);

  it("with retry on interruption, the run is resubmitted on a new instance", async () => {
    requirePulumi();
    requireDockerImages(localImages().instance, localImages().base);
    const { home, env } = freshUser();
    const gone = await runThenVanish(env, "retry.dstack.yml", "phoenix");

    const resubmitted = await until(
      "the run to be resubmitted and running",
      () => psJson(env).find((x) => x.name === "phoenix" && x.status === "running" && x.instance !== gone),
      90_000,
    );
    instances.add(resubmitted.instance ?? "");
    expect(resubmitted.resubmissions).toBe(1);
    const ps = cliSync(["ps"], { cwd: repo, env });
    expect(ps.stdout).toMatch(/phoenix .* running .*\(resubmitted after an interruption\)/);
    expect(readFileSync(join(home, ".dstack", "logs", "reaper.log"), "utf8")).toContain(
      `instance ${gone} disappeared: run phoenix resubmitted on a new instance (retry on interruption)`,
    );
    expectGone(home, gone);
    expect(poolStack(home).instances.map((i) => i.name)).toEqual([resubmitted.instance]);

    expect(cliSync(["stop", "phoenix", "-y"], { cwd: repo, env }).code).toBe(0);
    await until(
      "the idle instance to be reaped",
      () => (poolFile(home).length === 0 ? true : undefined),
      60_000,
    );
    expectGone(home, resubmitted.instance ?? "");
  }, 240_000);

  it("without retry, the run is reported as interrupted", async () => {
    const { home, env } = freshUser();
    const gone = await runThenVanish(env, "plain.dstack.yml", "mortal");

    const interrupted = await until(
      "the run to be reported interrupted",
      () => psJson(env).find((x) => x.name === "mortal" && x.status === "interrupted"),
      60_000,
    );
    expect(interrupted).toMatchObject({ instance: gone, resubmissions: 0 });
    expect(interrupted.interrupted_at).toEqual(expect.any(String));
    expect(cliSync(["ps", "-a"], { cwd: repo, env }).stdout).toMatch(
      new RegExp(`mortal .* interrupted \\(instance ${gone} disappeared\\)`),
    );
    // Not active any more: plain `ps` leaves it out.
    expect(cliSync(["ps"], { cwd: repo, env }).stdout).not.toContain("mortal");
    await until("the pool to be empty", () => (poolFile(home).length === 0 ? true : undefined), 30_000);
    expectGone(home, gone);
    expect(poolStack(home).instances).toEqual([]);
  }, 180_000);
});
