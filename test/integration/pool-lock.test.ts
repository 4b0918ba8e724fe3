// Two changes to the local pool at once (issue 6: nothing lost, nothing left locked). Two `apply`s
// started together both add an instance to the same pool stack: without the pool lock one of them hit
// Pulumi's stack lock ("the stack is currently locked") or wrote the pool file over the other's entry.
// With it, the second waits for the first, and both runs come up. Real engine, real Docker, the CLI.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { localImages, requireDockerImages, tryDocker } from "./docker.js";
import { cliSync, e2eEnv, instanceContainers, poolFile, poolStack, runCli } from "./e2e-cli.js";
import { until } from "../until.js";
import { requirePulumi } from "./pulumi-path.js";

const repo = mkdtempSync(join(tmpdir(), "dstack-pool-lock-repo-"));
const home = mkdtempSync(join(tmpdir(), "dstack-pool-lock-home-"));
const env = e2eEnv(home);
const created = new Set<string>();

afterAll(() => {
  for (const name of created) for (const c of instanceContainers(name)) tryDocker(["rm", "-f", "-v", c.name]);
}, 60_000);

describe("concurrent applies on one pool", () => {
  it("both add their instance; the pool file and the stack agree; nothing stays locked", async () => {
    requirePulumi();
    requireDockerImages(localImages().instance, localImages().base);
    mkdirSync(join(home, ".dstack"), { recursive: true });
    execFileSync("git", ["init", "-q"], { cwd: repo });
    for (const name of ["left", "right"])
      writeFileSync(
        join(repo, `${name}.dstack.yml`),
        `type: task\nname: ${name}\ncommands: [sleep 600]\nidle_duration: 1s\n`,
      );
    const [left, right] = await Promise.all(
      ["left", "right"].map((n) =>
        runCli(["apply", "-f", `${n}.dstack.yml`, "-y", "-d"], { cwd: repo, env }),
      ),
    );
    for (const i of poolFile(home)) created.add(i.name);
    expect(left?.code, left?.out).toBe(0);
    expect(right?.code, right?.out).toBe(0);

    const pooled = poolFile(home);
    expect(pooled).toHaveLength(2);
    const stack = poolStack(home);
    expect(stack).toMatchObject({ pending: 0, locked: false });
    expect(stack.instances.map((i) => i.name).sort()).toEqual(pooled.map((i) => i.name).sort());
    const runs = (
      JSON.parse(cliSync(["ps", "--json"], { cwd: repo, env }).stdout) as {
        runs: { name: string; status: string; instance: string }[];
      }
    ).runs;
    expect(runs.map((r) => [r.name, r.status]).sort()).toEqual([
      ["left", "running"],
      ["right", "running"],
    ]);
    expect(new Set(runs.map((r) => r.instance)).size).toBe(2);
    expect(existsSync(join(home, ".dstack", "locks", "pool-local.lock"))).toBe(false);

    for (const name of ["left", "right"])
      expect(cliSync(["stop", name, "-y"], { cwd: repo, env }).code).toBe(0);
    await until("the pool to be empty", () => (poolFile(home).length === 0 ? true : undefined), 90_000);
    expect(poolStack(home)).toMatchObject({ instances: [], pending: 0, locked: false });
    for (const name of created) expect(instanceContainers(name)).toEqual([]);
  }, 240_000);
});
