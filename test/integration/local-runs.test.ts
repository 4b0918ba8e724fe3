// `dstack apply` end to end on the local backend, as a user runs it: the built CLI, a real git repository
// with an uncommitted change, the real Pulumi engine, real cloud-init, the agent, and OpenSSH's `ssh`
// through the generated ~/.dstack/ssh/config. Scenarios follow issue 4, section 5.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN } from "../cli/run-cli.js";
import { containersWithLabel, localImages, requireDockerImages, tryDocker } from "./docker.js";
import { until } from "../until.js";
import { requirePulumi } from "./pulumi-path.js";

const SECRET = "e2e-topsecret-7f3a";
const home = mkdtempSync(join(tmpdir(), "dstack-e2e-home-"));
const repo = mkdtempSync(join(tmpdir(), "dstack-e2e-repo-"));
const volume = `e2e-data-${Date.now().toString(36)}`;
// A fresh HOME for the user's files; the tool cache (the Pulumi CLI) stays the machine's.
const cache = process.env.DSTACK_CACHE ?? join(homedir(), ".cache", "dstack");
const env = {
  PATH: process.env.PATH ?? "",
  HOME: home,
  DSTACK_CACHE: cache,
  NO_COLOR: "1",
  DSTACK_REAPER_INTERVAL_MS: "1000",
  E2E_SECRET: SECRET,
};

function cli(args: string[], timeout = 240_000): { code: number; out: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: repo, env, encoding: "utf8", timeout });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

function ssh(host: string, command: string): { code: number; out: string } {
  const r = spawnSync("ssh", ["-F", join(home, ".ssh", "config"), "-o", "BatchMode=yes", host, command], {
    env,
    encoding: "utf8",
    timeout: 30_000,
  });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

interface PsRun {
  name: string;
  instance: string;
  status: string;
  stop_reason: string | null;
  exit_code: number | null;
}
const ps = (): PsRun[] => (JSON.parse(cli(["ps", "-a", "--json"]).out) as { runs: PsRun[] }).runs;
const pool = (): { name: string }[] => {
  try {
    return (
      JSON.parse(readFileSync(join(home, ".dstack", "pools", "local.json"), "utf8")) as {
        instances: { name: string }[];
      }
    ).instances;
  } catch {
    return [];
  }
};

function git(...args: string[]): void {
  execFileSync("git", ["-c", "user.email=e2e@dstack", "-c", "user.name=e2e", ...args], {
    cwd: repo,
    stdio: "ignore",
  });
}

describe("dstack apply on the local backend", () => {
  const instances = new Set<string>();

  beforeAll(() => {
    writeFileSync(join(repo, "train.py"), "print('committed')\n");
    writeFileSync(join(repo, ".gitignore"), "ignored.txt\n");
    git("init", "-q");
    git("add", ".");
    git("commit", "-qm", "init");
    writeFileSync(join(repo, "train.py"), "print('uncommitted change')\n");
    writeFileSync(join(repo, "ignored.txt"), "must not be uploaded\n");
    mkdirSync(join(repo, "cfg"));
    writeFileSync(
      join(repo, "cfg", "dev.dstack.yml"),
      `type: dev-environment\nname: e2e-dev\nide: vscode\npython: "3.11"\ninactivity_duration: 20s\nidle_duration: 60s\nenv: [E2E_SECRET]\nvolumes:\n  - ${volume}:/data\n`,
    );
    writeFileSync(
      join(repo, "cfg", "task.dstack.yml"),
      `type: task\nname: e2e-task\ncommands:\n  - cat /data/keep.txt\n  - exit 3\nidle_duration: 3s\nvolumes:\n  - ${volume}:/data\n`,
    );
  });

  afterAll(async () => {
    // Whatever happened, leave nothing behind: stop the runs, let the reaper empty the pool, then check.
    for (const run of ps()) if (run.status === "running") cli(["stop", run.name, "-y"]);
    await until("the pool to empty", () => (pool().length === 0 ? true : undefined), 90_000).catch(
      () => undefined,
    );
    for (const name of instances)
      for (const id of containersWithLabel(`dstack.instance=${name}`)) tryDocker(["rm", "-f", id]);
    tryDocker(["volume", "rm", volume]);
  }, 180_000);

  it("runs a dev environment, reuses its idle instance, and tears everything down", async () => {
    requirePulumi();
    requireDockerImages(localImages().instance, localImages().base);
    // 0. --dry-run shows the attempt order and the infrastructure plan, and changes nothing.
    const dry = cli(["apply", "-f", "cfg/dev.dstack.yml", "--dry-run"]);
    expect(dry.code, dry.out).toBe(0);
    expect(dry.out).toMatch(/Attempt order:\n #\s+BACKEND/);
    expect(dry.out).toContain("+  create");
    expect(dry.out).toContain("Dry run: nothing was changed.");
    expect(pool()).toEqual([]);

    // 1. apply -d: plan, provision, upload, ssh-ready.
    const applied = cli(["apply", "-f", "cfg/dev.dstack.yml", "-y", "-d"]);
    expect(applied.out).toContain("+  create");
    expect(applied.code, applied.out).toBe(0);
    expect(applied.out).toContain("vscode://vscode-remote/ssh-remote+e2e-dev/workflow");
    expect(applied.out).not.toContain(SECRET);
    const dev = ps().find((r) => r.name === "e2e-dev")!;
    instances.add(dev.instance);
    expect(dev.status).toBe("running");

    // 2. `ssh <run>` lands in /workflow with the uncommitted change, without ignored files.
    const inside = ssh(
      "e2e-dev",
      `pwd && cat train.py && ls && echo "$DSTACK_RUN_NAME" && echo "$E2E_SECRET" > /data/keep.txt`,
    );
    expect(inside.code, inside.out).toBe(0);
    expect(inside.out).toContain("/workflow\nprint('uncommitted change')");
    expect(inside.out).not.toContain("ignored.txt");
    expect(inside.out).toContain("e2e-dev");
    expect(ssh("e2e-dev-host", "cloud-init status").out).toContain("done");

    // 3. The agent killed is restarted, and the run is still up.
    tryDocker(["exec", `dstack-${dev.instance}`, "pkill", "-f", "dstack-agent.js"]);
    await until(
      "the agent to come back",
      () => (ps().find((r) => r.name === "e2e-dev")?.status === "running" ? true : undefined),
      30_000,
    );

    // 3b. Only inactivity_duration changed: updated in place, without a restart or any infrastructure change.
    const devConfig = join(repo, "cfg", "dev.dstack.yml");
    writeFileSync(
      devConfig,
      readFileSync(devConfig, "utf8").replace("inactivity_duration: 20s", "inactivity_duration: 25s"),
    );
    const updated = cli(["apply", "-f", "cfg/dev.dstack.yml", "-y"]);
    expect(updated.code, updated.out).toBe(0);
    expect(updated.out).toContain(
      `Detected configuration changes that can be updated in-place: ["inactivity_duration"]`,
    );
    expect(updated.out).not.toContain("Provisioning");
    expect(ps().find((r) => r.name === "e2e-dev")).toMatchObject({
      status: "running",
      instance: dev.instance,
    });

    // 4. Nobody connected: the run stops after inactivity_duration.
    const stopped = await until(
      "the inactivity stop",
      () => ps().find((r) => r.name === "e2e-dev" && r.status === "stopped"),
      90_000,
    );
    expect(stopped.stop_reason).toBe("inactivity");

    // 5. A task on the idle instance: reused with no infrastructure change; the network volume kept its data.
    const task = cli(["apply", "-f", "cfg/task.dstack.yml", "-y"]);
    expect(task.out).toContain(`Reusing idle instance ${dev.instance}: no infrastructure changes.`);
    expect(task.out).toContain(SECRET);
    expect(task.code, task.out).toBe(3);

    // 6. After idle_duration the reaper destroys the instance through Pulumi: nothing remains.
    await until("the idle instance to be destroyed", () => (pool().length === 0 ? true : undefined), 90_000);
    expect(containersWithLabel(`dstack.instance=${dev.instance}`)).toEqual([]);
    expect(tryDocker(["volume", "inspect", volume]).code).toBe(0);
    await until(
      "the reaper to exit",
      () => {
        try {
          process.kill(Number(readFileSync(join(home, ".dstack", "reaper.pid"), "utf8")), 0);
          return undefined;
        } catch {
          return true;
        }
      },
      30_000,
    );
  }, 420_000);

  it("fails clearly on a missing image and leaves nothing running", async () => {
    writeFileSync(
      join(repo, "cfg", "missing.dstack.yml"),
      "type: task\nname: e2e-missing\nimage: dstack/does-not-exist:1\ncommands: [ls]\nidle_duration: 2s\n",
    );
    const r = cli(["apply", "-f", "cfg/missing.dstack.yml", "-y"]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/error: run e2e-missing failed \(image_pull_failed\)/);
    expect(r.out).not.toMatch(/\n\s+at /);
    await until("the instance to be destroyed", () => (pool().length === 0 ? true : undefined), 90_000);
    expect(
      tryDocker([
        "ps",
        "-q",
        "--filter",
        "label=dstack.managed=true",
        "--filter",
        "label=dstack.run=e2e-missing",
      ]).stdout.trim(),
    ).toBe("");
  }, 240_000);

  it("Ctrl-C during provisioning leaves nothing orphaned", async () => {
    writeFileSync(
      join(repo, "cfg", "interrupted.dstack.yml"),
      "type: task\nname: e2e-interrupted\ncommands: [ls]\n",
    );
    const child = spawn(process.execPath, [BIN, "apply", "-f", "cfg/interrupted.dstack.yml", "-y"], {
      cwd: repo,
      env,
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    await until(
      "provisioning to start",
      () => (out.includes("Provisioning instance") ? true : undefined),
      60_000,
    );
    const instance = /Provisioning instance (\S+)\.\.\./.exec(out)![1]!;
    instances.add(instance);
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code, out).not.toBe(0);
    expect(out).not.toMatch(/\n\s+at /);
    // The interrupted update finished its in-flight create; dstack then removed the instance again.
    expect(pool(), out).toEqual([]);
    expect(containersWithLabel(`dstack.instance=${instance}`)).toEqual([]);
  }, 180_000);
});
