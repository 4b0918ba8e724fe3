// The idle teardown backstop (issue 13, part 3): with the CLI's reaper killed (SIGKILL) and no dstack
// process alive, an idle instance takes itself down after its idle_duration plus the grace period, on the
// local backend (its container exits), on fake AWS (the guest's power-off terminates the instance:
// instanceInitiatedShutdownBehavior terminate) and on fake GCP (the VM stops; dstack deletes it). The
// next `dstack ps` finds it gone, says so in one line, and removes it from its pool's stack: nothing is
// left in the state, the fake cloud or Docker.
// Each case prints the time from the idle deadline to the instance gone (quoted in the closing notes).
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reaperPidFile } from "../../src/home/paths.js";
import { selfStopGrace } from "../../src/runtime-agent/self-stop.js";
import { installFakeCloud } from "../fake-cloud/install.js";
import { bootedContainers } from "../fake-cloud/state.js";
import { until } from "../until.js";
import { docker, localImages, requireDockerImages, tryDocker } from "./docker.js";
import { cliSync, e2eEnv, poolStack, runCli } from "./e2e-cli.js";
import { bootingUser, cleanUp } from "./fake-cloud-boot.js";
import { instancesIn, stackStates, type FleetUser } from "./fleet-e2e.js";
import { requirePulumi } from "./pulumi-path.js";

const IDLE_S = 5;
const tmp = mkdtempSync(join(tmpdir(), "dstack-idle-backstop-"));
const users: FleetUser[] = [];
const localContainers: string[] = [];

/** The reaper `pool add` left, killed as a crash would (no clean-up of its own). */
async function killReaper(home: string): Promise<void> {
  const pid = await until(
    "the reaper to write its pid file",
    () => {
      try {
        const n = Number(readFileSync(reaperPidFile(home), "utf8").trim());
        return Number.isInteger(n) && n > 0 ? n : undefined;
      } catch {
        return undefined;
      }
    },
    30_000,
    { intervalMs: 100 },
  );
  process.kill(pid, "SIGKILL");
  await until(
    "the reaper to be gone",
    () => {
      try {
        process.kill(pid, 0);
        return undefined;
      } catch {
        return true;
      }
    },
    10_000,
    { intervalMs: 100 },
  );
}

interface Stopped {
  finishedAt: number;
  running: boolean;
}

function containerState(name: string): Stopped {
  const [info] = JSON.parse(docker(["inspect", name])) as {
    State: { Running: boolean; FinishedAt: string };
  }[];
  if (info === undefined) throw new Error(`no container ${name}`);
  return { running: info.State.Running, finishedAt: Date.parse(info.State.FinishedAt) };
}

/** The agent's own record of when the instance started (its idle clock starts there: no run ever came). */
function agentStartedAt(dataDir: string): number {
  const state = JSON.parse(readFileSync(join(dataDir, "state.json"), "utf8")) as {
    instance?: { started_at: number };
  };
  const started = state.instance?.started_at;
  if (started === undefined) throw new Error(`no instance record in ${dataDir}/state.json`);
  return started;
}

function report(where: string, deadline: number, gone: number): void {
  const grace = selfStopGrace(IDLE_S);
  process.stdout.write(
    `[idle-backstop] ${where}: idle_duration ${IDLE_S}s, grace ${grace}s; instance gone ` +
      `${((gone - deadline) / 1000).toFixed(1)}s after its idle deadline ` +
      `(${((gone - deadline) / 1000 - grace).toFixed(1)}s after the grace ended)\n`,
  );
}

describe.concurrent("idle teardown with no dstack process alive", () => {
  let fakeBin = "";
  beforeAll(() => {
    requirePulumi();
    requireDockerImages(localImages().instance, localImages().base);
    fakeBin = installFakeCloud(join(tmp, "fake-bin")).binDir;
  });

  afterAll(() => {
    cleanUp(users);
    for (const c of localContainers) tryDocker(["rm", "-f", "-v", c]);
  }, 120_000);

  it("local: the instance's container exits by itself; the next ps removes it from the stack", async () => {
    const home = mkdtempSync(join(tmpdir(), "dstack-backstop-local-"));
    // The reaper's first pass finds nothing expired; it would sleep an hour, but it is killed anyway.
    const env = e2eEnv(home, { DSTACK_REAPER_INTERVAL_MS: "3600000" });
    const added = await runCli(["pool", "add", "-b", "local", "-y", "--idle-duration", `${IDLE_S}s`], {
      cwd: home,
      env,
    });
    expect(added.code, added.out).toBe(0);
    const name = /Added instance (local-[0-9a-f]{6})/.exec(added.out)?.[1] ?? "";
    expect(name).not.toBe("");
    const container = `dstack-${name}`;
    localContainers.push(container);
    await killReaper(home);

    const stopped = await until(
      "the instance to power itself off",
      () => {
        const s = containerState(container);
        return s.running ? undefined : s;
      },
      (IDLE_S + selfStopGrace(IDLE_S)) * 1000 + 120_000,
    );
    const dataDir = join(home, ".dstack", "local", "instances", name, "data");
    const deadline = agentStartedAt(dataDir) + IDLE_S * 1000;
    // Never before the grace: the CLI's destroy must have had its chance.
    expect(stopped.finishedAt).toBeGreaterThanOrEqual(deadline + selfStopGrace(IDLE_S) * 1000);
    expect(JSON.parse(readFileSync(join(dataDir, "self-stopped.json"), "utf8"))).toMatchObject({
      idle_duration_s: IDLE_S,
    });
    report("local", deadline, stopped.finishedAt);

    const ps = cliSync(["ps"], { cwd: home, env });
    expect(ps.code, ps.out).toBe(0);
    expect(ps.out).toContain(`instance ${name} is no longer running`);
    expect(poolStack(home).instances).toEqual([]);
    expect(docker(["ps", "-aq", "--filter", `name=^${container}$`])).toBe("");
    expect(existsSync(dataDir)).toBe(false);
    const pool = JSON.parse(cliSync(["pool", "ps", "--json"], { cwd: home, env }).stdout) as {
      instances: unknown[];
    };
    expect(pool.instances).toEqual([]);
  }, 420_000);

  const CLOUDS = [
    {
      cloud: "aws",
      config: "backends:\n  - type: aws\n",
      where: ["-r", "us-east-1", "--instance-type", "t3.large"],
      what: "the guest's power-off terminates the instance (instanceInitiatedShutdownBehavior terminate)",
    },
    {
      cloud: "gcp",
      config: "backends:\n  - type: gcp\n    project: dstack-test\n",
      where: ["-r", "us-central1", "--instance-type", "e2-standard-4"],
      what: "the guest's power-off stops the VM (TERMINATED); dstack deletes it with its disk",
    },
  ];
  for (const c of CLOUDS)
    it(`${c.cloud}: ${c.what}; the next ps refreshes it out of the stack`, async () => {
      const u = bootingUser(fakeBin, c.config);
      users.push(u);
      u.env.DSTACK_REAPER_INTERVAL_MS = "3600000";
      const added = await runCli(
        ["pool", "add", "-b", c.cloud, ...c.where, "-y", "--idle-duration", `${IDLE_S}s`],
        { cwd: u.home, env: u.env, timeoutMs: 480_000 },
      );
      expect(added.code, added.out).toBe(0);
      const name = new RegExp(`Added instance (${c.cloud}-[0-9a-f]{6})`).exec(added.out)?.[1] ?? "";
      expect(name).not.toBe("");
      await killReaper(u.home);
      const [instance] = instancesIn(u.cloud);
      if (c.cloud === "aws") expect(instance?.inputs.instanceInitiatedShutdownBehavior).toBe("terminate");
      const [container] = bootedContainers(u.cloud);
      expect(container).toBeDefined();

      const stopped = await until(
        "the instance to power itself off",
        () => {
          const s = containerState(container ?? "");
          return s.running ? undefined : s;
        },
        (IDLE_S + selfStopGrace(IDLE_S)) * 1000 + 120_000,
      );
      const dataDir = join(u.cloud, "instances", container ?? "", "data");
      const deadline = agentStartedAt(dataDir) + IDLE_S * 1000;
      expect(stopped.finishedAt).toBeGreaterThanOrEqual(deadline + selfStopGrace(IDLE_S) * 1000);
      report(`fake ${c.cloud}`, deadline, stopped.finishedAt);

      const ps = await runCli(["ps"], { cwd: u.home, env: u.env });
      expect(ps.code, ps.out).toBe(0);
      expect(ps.out).toContain(`instance ${name} is no longer running`);
      // Gone from the fake cloud (its container too) and from every stack's state.
      expect(instancesIn(u.cloud)).toEqual([]);
      expect(bootedContainers(u.cloud)).toEqual([]);
      expect(
        stackStates(u.home)
          .flatMap((s) => s.ids)
          .filter((id) => id === instance?.id),
      ).toEqual([]);
      const pool = JSON.parse(cliSync(["pool", "ps", "--json"], { cwd: u.home, env: u.env }).stdout) as {
        instances: unknown[];
      };
      expect(pool.instances).toEqual([]);
    }, 600_000);
});
