// Stacks and records on a Pulumi service (issue 15), against the stand-in of scripts/ensure-pulumi-service:
// a run on the local backend whose pool stack and records live in the service (the service keeps its
// secrets: no passphrase is asked for or written), a wrong token refused with what to do and nothing
// created, and a service that does not answer. (Teams on a service: shared-state.test.ts.)
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reaperPidFile } from "../../src/home/paths.js";
import { containersWithLabel, localImages, requireDockerImages, tryDocker } from "./docker.js";
import { e2eEnv, runCli } from "./e2e-cli.js";
import { requirePulumi } from "./pulumi-path.js";
import { requirePulumiService, type PulumiServiceEndpoint } from "./pulumi-service.js";

const ID = `s${process.pid}${Date.now().toString(36)}`;
const repo = mkdtempSync(join(tmpdir(), "dstack-service-repo-"));
const homes: string[] = [];
let service: PulumiServiceEndpoint;
const instances = new Set<string>();

const userEnv = (extra: Record<string, string>) => {
  const home = mkdtempSync(join(tmpdir(), "dstack-service-home-"));
  homes.push(home);
  return e2eEnv(home, extra);
};

beforeAll(async () => {
  requirePulumi();
  requireDockerImages(localImages().instance, localImages().base);
  service = await requirePulumiService();
  writeFileSync(
    join(repo, "wrong.dstack.yml"),
    `type: task\nname: svc-wrong-${ID}\ncommands: [echo never]\nbackends: [local]\n`,
  );
  writeFileSync(
    join(repo, "task.dstack.yml"),
    `type: task\nname: svc-${ID}\ncommands: [echo hello-${ID}]\nbackends: [local]\nidle_duration: 30m\n`,
  );
  execFileSync("git", ["init", "-q"], { cwd: repo });
});

afterAll(async () => {
  // The service outlives the test: its run's record (a stack) goes, so `ps -a` elsewhere does not list it.
  await fetch(`${service.url}/api/stacks/${service.user}/dstack-runs/svc-${ID}?force=true`, {
    method: "DELETE",
    headers: { authorization: `token ${service.token}` },
  }).catch(() => undefined);
  for (const name of instances)
    for (const id of containersWithLabel(`dstack.instance=${name}`)) tryDocker(["rm", "-f", id]);
  for (const home of homes)
    try {
      process.kill(Number(readFileSync(reaperPidFile(home), "utf8").trim()), "SIGTERM");
    } catch {
      // no reaper
    }
}, 120_000);

describe("stacks on a Pulumi service (the stand-in)", () => {
  it("a run's pool stack lives in the service; no passphrase is made; the instance is removed through it", async () => {
    const env = userEnv({ DSTACK_BACKEND_URL: service.url, PULUMI_ACCESS_TOKEN: service.token });
    const cli = (args: string[]) => runCli(args, { cwd: repo, env, timeoutMs: 300_000 });
    const r = await cli(["apply", "-f", "task.dstack.yml", "-y"]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain(`hello-${ID}`);
    const stacks = (await (
      await fetch(`${service.url}/api/user/stacks`, { headers: { authorization: `token ${service.token}` } })
    ).json()) as { stacks: { projectName: string; stackName: string }[] };
    expect(stacks.stacks).toContainEqual(
      expect.objectContaining({ projectName: "dstack", stackName: "pool-local" }),
    );
    expect(existsSync(join(env.HOME ?? "", ".dstack", "state-passphrase"))).toBe(false);

    const pool = JSON.parse((await cli(["pool", "ps", "--json"])).stdout) as {
      instances: { name: string }[];
    };
    for (const { name } of pool.instances) {
      instances.add(name);
      const removed = await cli(["pool", "remove", name, "--force", "-y"]);
      expect(removed.code, removed.out).toBe(0);
    }
  }, 300_000);

  it("a wrong token: refused with what to do, and nothing is created", async () => {
    const env = userEnv({ DSTACK_BACKEND_URL: service.url, PULUMI_ACCESS_TOKEN: `wrong-${ID}` });
    const r = await runCli(["apply", "-f", "wrong.dstack.yml", "-y"], { cwd: repo, env, timeoutMs: 300_000 });
    expect(r.code, r.out).toBe(1);
    expect(r.stderr).toContain(`the Pulumi service at ${service.url} refused the access token`);
    expect(r.stderr).toContain("set PULUMI_ACCESS_TOKEN");
    expect(r.stderr).not.toContain(`wrong-${ID}`);
    // Asked with the right token: no instance was made, no run recorded.
    const right = { ...env, PULUMI_ACCESS_TOKEN: service.token };
    const pool = JSON.parse(
      (await runCli(["pool", "ps", "--json"], { cwd: repo, env: right, timeoutMs: 60_000 })).stdout,
    ) as { instances: unknown[] };
    expect(pool.instances).toEqual([]);
    const ps = JSON.parse(
      (await runCli(["ps", "-a", "--json"], { cwd: repo, env: right, timeoutMs: 60_000 })).stdout,
    ) as { runs: { name: string }[] };
    expect(ps.runs.map((run) => run.name)).not.toContain(`svc-wrong-${ID}`);
  }, 300_000);

  it("a service that does not answer (a port nothing listens on): a clear error, nothing created", async () => {
    const env = userEnv({ DSTACK_BACKEND_URL: "http://127.0.0.1:9", PULUMI_ACCESS_TOKEN: service.token });
    const r = await runCli(["apply", "-f", "task.dstack.yml", "-y"], { cwd: repo, env, timeoutMs: 300_000 });
    expect(r.code, r.out).toBe(1);
    expect(r.stderr).toContain("no Pulumi service answers at http://127.0.0.1:9");
    expect(r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/); // no stack trace
  }, 300_000);
});
