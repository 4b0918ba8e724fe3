// `scripts/fake-cloud env DIR` (README "Testing aid: the fake cloud"): its export lines, evaluated by a
// shell, plus a config.yml naming only the cloud, are all a user needs for `dstack apply` of a fleet
// whose instance then answers SSH at its public_ip; `dstack delete` leaves nothing.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/package-root.js";
import { exec } from "../../src/ssh/connect.js";
import { bootedContainers, listResources, removeBootedContainers } from "../fake-cloud/state.js";
import { cliSync, e2eEnv, runCli } from "./e2e-cli.js";
import { localImages, requireDockerImages } from "./docker.js";
import { fleetInstances, sshTo } from "./fake-cloud-boot.js";
import { stackStates } from "./fleet-e2e.js";
import { requirePulumi } from "./pulumi-path.js";

const tmp = mkdtempSync(join(tmpdir(), "dstack-cloud-env-"));
const store = join(tmp, "fake cloud"); // a space: the printed lines must quote it
afterAll(() => {
  removeBootedContainers(store);
  rmSync(tmp, { recursive: true, force: true });
});

/** The variables a shell has after `eval "$(scripts/fake-cloud env DIR)"`, from a clean environment. */
function evaluated(): Record<string, string> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("DSTACK_FAKE_CLOUD")),
  );
  const out = execFileSync("bash", ["-c", `eval "$(./scripts/fake-cloud env "$1")" && env -0`, "_", store], {
    cwd: packageRoot(),
    env: clean,
    encoding: "utf8",
  });
  return Object.fromEntries(
    out
      .split("\0")
      .filter((l) => l.includes("="))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
}

describe("scripts/fake-cloud env", () => {
  it("puts the plugins first on PATH, names the store, turns booting on; a config.yml is then enough", async () => {
    requirePulumi();
    requireDockerImages(localImages().instance);
    const vars = evaluated();
    expect(vars.PATH?.split(":")[0]).toBe(join(store, "bin"));
    expect(vars.DSTACK_FAKE_CLOUD_DIR).toBe(store);
    expect(vars.DSTACK_FAKE_CLOUD_BOOT).toBe("1");

    const home = join(tmp, "home");
    const repo = join(tmp, "repo");
    mkdirSync(join(home, ".dstack"), { recursive: true });
    writeFileSync(join(home, ".dstack", "config.yml"), "backends:\n  - type: aws\n");
    execFileSync("git", ["init", "-q", repo]);
    writeFileSync(
      join(repo, "fleet.dstack.yml"),
      "type: fleet\nname: env-fleet\nnodes: 1\nregions: [us-east-1]\ninstance_types: [t3.large]\nspot_policy: on-demand\n",
    );
    const env = e2eEnv(home, {
      PATH: vars.PATH ?? "",
      DSTACK_FAKE_CLOUD_DIR: vars.DSTACK_FAKE_CLOUD_DIR ?? "",
      DSTACK_FAKE_CLOUD_BOOT: vars.DSTACK_FAKE_CLOUD_BOOT ?? "",
    });
    const r = await runCli(["apply", "-f", "fleet.dstack.yml", "-y"], { cwd: repo, env, timeoutMs: 300_000 });
    expect(r.code, r.out).toBe(0);
    const [instance] = fleetInstances({ home, cloud: store, env }, repo, "env-fleet");
    expect(instance?.public_ip).toMatch(/^127\.0\.0\.\d+$/);
    const client = await sshTo({ home, cloud: store, env }, instance!);
    try {
      expect((await exec(client, "cloud-init status")).stdout.trim()).toBe("status: done");
    } finally {
      client.end();
    }
    const d = cliSync(["delete", "env-fleet", "-y"], { cwd: repo, env });
    expect(d.code, d.out).toBe(0);
    expect(bootedContainers(store)).toEqual([]);
    expect(listResources(store)).toEqual([]);
    expect(stackStates(home)).toEqual([]);
  }, 360_000);
});
