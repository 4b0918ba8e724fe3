// Runs on the clouds end to end (issue 11, parts 2 and 4), for each of aws, gcp and azure against the
// fake cloud with booting on: `dstack apply` of a dev environment adds an instance to the pool stack of
// that backend and region, the instance boots the cloud's user data, `ssh <run>` (real OpenSSH through
// the generated config) sees the uncommitted change in /workflow, the run stops when nobody is
// connected, a task reuses the idle instance with no infrastructure change, and the reaper destroys the
// instance after idle_duration: nothing is left in the fake cloud, in the state, or in Docker. The three
// clouds run at once: each has its own user, store and reaper.
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installFakeCloud } from "../fake-cloud/install.js";
import { bootedContainers } from "../fake-cloud/state.js";
import { bootingUser, cleanUp } from "./fake-cloud-boot.js";
import { cliSync, runCli } from "./e2e-cli.js";
import { until } from "../until.js";
import { localImages, requireDockerImages } from "./docker.js";
import { instancesIn, orphans, stackStates, type FleetUser } from "./fleet-e2e.js";
import { requirePulumi } from "./pulumi-path.js";

interface Cloud {
  cloud: "aws" | "gcp" | "azure";
  config: string;
  region: string;
  instanceType: string;
}

const CLOUDS: Cloud[] = [
  { cloud: "aws", config: "backends:\n  - type: aws\n", region: "us-east-1", instanceType: "t3.large" },
  {
    cloud: "gcp",
    config: "backends:\n  - type: gcp\n    project: dstack-test\n",
    region: "us-central1",
    instanceType: "e2-standard-4",
  },
  {
    cloud: "azure",
    config: "backends:\n  - type: azure\n    subscription_id: 11111111-2222-3333-4444-555555555555\n",
    region: "eastus",
    instanceType: "Standard_D4s_v5",
  },
];

const tmp = mkdtempSync(join(tmpdir(), "dstack-cloud-runs-"));
const repo = join(tmp, "repo");
const users: FleetUser[] = [];
let fakeBin = "";

interface PsRun {
  name: string;
  backend: string;
  region: string | null;
  instance: string;
  instance_type: string | null;
  status: string;
  stop_reason: string | null;
}

function git(...args: string[]): void {
  execFileSync("git", ["-c", "user.email=e2e@dstack", "-c", "user.name=e2e", ...args], { cwd: repo });
}

const ps = (u: FleetUser): PsRun[] =>
  (JSON.parse(cliSync(["ps", "-a", "--json"], { cwd: repo, env: u.env }).stdout) as { runs: PsRun[] }).runs;

/** OpenSSH through the user's generated config, without blocking the other clouds' tests. */
function ssh(u: FleetUser, host: string, command: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const args = ["-F", join(u.home, ".ssh", "config"), "-o", "BatchMode=yes", host, command];
    execFile("ssh", args, { env: u.env, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({
        code: error === null ? 0 : typeof error.code === "number" ? error.code : -1,
        out: `${stdout}${stderr}`,
      }),
    );
  });
}

function poolInstances(u: FleetUser, pool: string): { name: string; host?: string }[] {
  try {
    const file = join(u.home, ".dstack", "pools", `${pool}.json`);
    return (JSON.parse(readFileSync(file, "utf8")) as { instances: { name: string; host?: string }[] })
      .instances;
  } catch {
    return [];
  }
}

function configFor(c: Cloud, type: "dev-environment" | "task", name: string): string {
  const file = `${name}.dstack.yml`;
  const where = `backends: [${c.cloud}]\nregions: [${c.region}]\ninstance_types: [${c.instanceType}]\nspot_policy: on-demand\n`;
  const body =
    type === "dev-environment"
      ? `type: dev-environment\nname: ${name}\nide: vscode\ninactivity_duration: 20s\nidle_duration: 60s\n`
      : `type: task\nname: ${name}\ncommands:\n  - cat notes.txt\n  - exit 3\nidle_duration: 5s\n`;
  writeFileSync(join(repo, file), `${body}${where}`);
  return file;
}

describe.concurrent("runs on the clouds (fake cloud, booting)", () => {
  beforeAll(() => {
    requirePulumi();
    requireDockerImages(localImages().instance, localImages().base);
    fakeBin = installFakeCloud(join(tmp, "fake-bin")).binDir;
    execFileSync("mkdir", ["-p", repo]);
    writeFileSync(join(repo, "train.py"), "print('committed')\n");
    git("init", "-q");
    git("add", ".");
    git("commit", "-qm", "init");
    writeFileSync(join(repo, "notes.txt"), "uncommitted notes\n");
  });

  afterAll(() => cleanUp(users), 120_000);

  for (const c of CLOUDS) {
    it(`${c.cloud}: dev environment, ssh, inactivity stop, reuse, idle teardown`, async () => {
      const u = bootingUser(fakeBin, c.config);
      users.push(u);
      u.env.DSTACK_REAPER_INTERVAL_MS = "1000";
      const pool = `${c.cloud}-${c.region}`;
      const dev = `dev-${c.cloud}`;

      // 1. apply -d: the cloud's offer, the pool stack's diff, the instance booted, the run ssh-ready.
      const applied = await runCli(["apply", "-f", configFor(c, "dev-environment", dev), "-y", "-d"], {
        cwd: repo,
        env: u.env,
        timeoutMs: 480_000,
      });
      expect(applied.code, applied.out).toBe(0);
      expect(applied.out).toContain("+  create");
      expect(applied.out).toContain(`vscode://vscode-remote/ssh-remote+${dev}/workflow`);
      const run = ps(u).find((r) => r.name === dev);
      expect(run).toMatchObject({
        backend: c.cloud,
        region: c.region,
        instance_type: c.instanceType,
        status: "running",
      });
      expect(run?.instance).toMatch(new RegExp(`^${c.cloud}-[0-9a-f]{6}$`));
      const [instance] = poolInstances(u, pool);
      expect(instance?.host).toMatch(/^127\.0\.0\.\d+$/);
      expect(instancesIn(u.cloud)).toHaveLength(1);

      // 2. `ssh <run>` through the instance's public address sees the uncommitted file in /workflow.
      const inside = await ssh(u, dev, "pwd && cat notes.txt && echo $DSTACK_RUN_NAME");
      expect(inside.code, inside.out).toBe(0);
      expect(inside.out).toContain("/workflow\nuncommitted notes");
      expect(inside.out).toContain(dev);
      expect((await ssh(u, `${dev}-host`, "cloud-init status")).out).toContain("done");

      // 3. Nobody connected: the run stops after inactivity_duration.
      const stopped = await until(
        "the inactivity stop",
        () => ps(u).find((r) => r.name === dev && r.status === "stopped"),
        120_000,
      );
      expect(stopped.stop_reason).toBe("inactivity");

      // 4. A task reuses the idle instance: no infrastructure change, the task's exit code.
      const task = await runCli(["apply", "-f", configFor(c, "task", `task-${c.cloud}`), "-y"], {
        cwd: repo,
        env: u.env,
      });
      expect(task.out).toContain(`Reusing idle instance ${run?.instance ?? ""}: no infrastructure changes.`);
      expect(task.out).toContain("uncommitted notes");
      expect(task.code, task.out).toBe(3);
      expect(instancesIn(u.cloud)).toHaveLength(1);

      // 5. After idle_duration the reaper destroys the instance through Pulumi: nothing remains.
      await until(
        "the idle instance to be destroyed",
        () => (poolInstances(u, pool).length === 0 ? true : undefined),
        180_000,
      );
      expect(instancesIn(u.cloud)).toEqual([]);
      expect(orphans(u)).toEqual([]);
      expect(stackStates(u.home).filter((s) => s.ids.length > 0 || s.locked || s.pending > 0)).toEqual([]);
      expect(bootedContainers(u.cloud)).toEqual([]);
    }, 600_000);
  }
});
