// The `error` retry event (issue 6, section 4): a task that fails is submitted again on the instance
// it failed on, after the resubmission backoff, until retry.duration (from the first submission) is
// used up; then it stays failed and the idle instance is torn down. Without `error` in on_events it is
// not resubmitted. Real engine, real Docker, the built CLI, the detached reaper (1 s interval) and
// DSTACK_BACKOFF_SCALE=0.1 (15 s -> 1.5 s, 30 s -> 3 s, ...).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localImages, requireDockerImages, tryDocker } from "./docker.js";
import { cliSync, e2eEnv, instanceContainers, poolFile, poolStack, runCli } from "./e2e-cli.js";
import { until } from "../until.js";
import { requirePulumi } from "./pulumi-path.js";

const repo = mkdtempSync(join(tmpdir(), "dstack-error-retry-repo-"));
const instances = new Set<string>();
const homes: string[] = [];

interface PsRun {
  name: string;
  status: string;
  instance: string | null;
  exit_code: number | null;
  resubmissions: number;
  resubmitted_after: string | null;
  submitted_at: string;
  first_submitted_at: string;
}

function freshUser(): { home: string; env: Record<string, string> } {
  const home = mkdtempSync(join(tmpdir(), "dstack-error-retry-home-"));
  homes.push(home);
  mkdirSync(join(home, ".dstack"));
  return { home, env: e2eEnv(home, { DSTACK_BACKOFF_SCALE: "0.1" }) };
}

const psRuns = (env: Record<string, string>): PsRun[] =>
  (JSON.parse(cliSync(["ps", "-a", "--json"], { cwd: repo, env }).stdout) as { runs: PsRun[] }).runs;

describe("a run that fails, under retry on error", () => {
  beforeAll(() => {
    execFileSync("git", ["init", "-q"], { cwd: repo });
    writeFileSync(
      join(repo, "flaky.dstack.yml"),
      "type: task\nname: flaky\ncommands: [sleep 1, exit 3]\nidle_duration: 15s\nretry:\n  on_events: [error]\n  duration: 25s\n",
    );
    writeFileSync(
      join(repo, "once.dstack.yml"),
      "type: task\nname: once\ncommands: [exit 4]\nidle_duration: 1s\nretry:\n  on_events: [interruption]\n  duration: 5m\n",
    );
  });

  afterAll(() => {
    // Also the instances a test that failed midway never got to note: the pool files know them all.
    for (const home of homes) for (const i of poolFile(home)) instances.add(i.name);
    for (const name of instances)
      for (const c of instanceContainers(name)) tryDocker(["rm", "-f", "-v", c.name]);
  }, 60_000);

  it("is resubmitted on the same instance until retry.duration is used up, then stays failed", async () => {
    requirePulumi();
    requireDockerImages(localImages().instance, localImages().base);
    const { home, env } = freshUser();
    const r = await runCli(["apply", "-f", "flaky.dstack.yml", "-y", "-d"], { cwd: repo, env });
    expect(r.code, r.out).toBe(0);
    const first = psRuns(env).find((x) => x.name === "flaky");
    const instance = first?.instance ?? "";
    expect(instance).not.toBe("");
    instances.add(instance);

    // The reaper notices the failure and hands the resubmission to a background process.
    const waiting = await until(
      "a pending resubmission in ps",
      () => {
        const out = cliSync(["ps"], { cwd: repo, env }).stdout;
        return /flaky .*pending \(failed: exited with code 3; resubmission \d/.test(out) ? out : undefined;
      },
      60_000,
    );
    expect(waiting).toContain("flaky");

    const again = await until(
      "a second resubmission",
      () => psRuns(env).find((x) => x.name === "flaky" && x.resubmissions >= 2),
      90_000,
    );
    expect(again).toMatchObject({ instance, resubmitted_after: "error" });
    expect(again.first_submitted_at).not.toBe(again.submitted_at);

    // retry.duration (25 s from the first submission) runs out: the last failure stays (and the agent says
    // so for idle_duration, 15 s, before the reaper tears the idle instance down).
    const ended = await until(
      "retrying to end",
      () =>
        readFileSync(join(home, ".dstack", "logs", "reaper.log"), "utf8").includes(
          "run flaky failed: not resubmitted (retry.duration",
        )
          ? true
          : undefined,
      90_000,
    );
    expect(ended).toBe(true);
    const last = psRuns(env).find((x) => x.name === "flaky");
    expect(last).toMatchObject({ status: "failed", exit_code: 3, instance });
    const reaper = readFileSync(join(home, ".dstack", "logs", "reaper.log"), "utf8");
    expect(reaper).toContain("run flaky failed: resubmitted (retry on error)");
    expect(cliSync(["ps"], { cwd: repo, env }).stdout).not.toMatch(/flaky .*pending/);
    // Every resubmission went to the first instance: no other was ever created, and it is reaped once idle.
    await until(
      "the idle instance to be reaped",
      () => (poolFile(home).length === 0 ? true : undefined),
      60_000,
    );
    const stack = poolStack(home);
    expect(stack).toMatchObject({ instances: [], pending: 0, locked: false });
    expect(instanceContainers(instance)).toEqual([]);
    // The background process only ever submitted to that instance; it never provisioned one.
    const log = readFileSync(join(home, ".dstack", "logs", "provision-flaky.log"), "utf8");
    expect(log.match(/submitted flaky on (\S+)/g)?.every((l) => l.endsWith(instance))).toBe(true);
    expect(log).not.toMatch(/attempt|Provisioning/i);
  }, 300_000);

  it("without error in on_events, a failed run is not resubmitted", async () => {
    const { home, env } = freshUser();
    const r = await runCli(["apply", "-f", "once.dstack.yml", "-y", "-d"], { cwd: repo, env });
    expect(r.code, r.out).toBe(0);
    const instance = psRuns(env).find((x) => x.name === "once")?.instance ?? "";
    instances.add(instance);
    await until(
      "the idle instance to be reaped",
      () => (poolFile(home).length === 0 ? true : undefined),
      60_000,
    );
    const last = psRuns(env).find((x) => x.name === "once");
    expect(last).toMatchObject({ resubmissions: 0, instance });
    expect(readFileSync(join(home, ".dstack", "logs", "reaper.log"), "utf8")).not.toContain(
      "run once failed",
    );
    expect(poolStack(home)).toMatchObject({ instances: [], pending: 0, locked: false });
  }, 180_000);
});
