// Runs placed on a fleet's instances (issue 11, part 2: `fleets: [NAME]`, as dstack does): a fleet is
// a pool declared in a file, so its instances are created through the same pool pipeline as a run's
// and a run goes to an idle one of them with no infrastructure change. Against the fake cloud with
// booting on (AWS): apply a 2-node fleet, run a task on it, hold both instances with dev environments,
// see a third run refused (a run with `fleets` never creates), see `delete` refuse a fleet with active
// runs, then stop them and delete the fleet: nothing is left in the fake cloud, the state or Docker.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installFakeCloud } from "../fake-cloud/install.js";
import { bootedContainers } from "../fake-cloud/state.js";
import { bootingUser, cleanUp } from "./fake-cloud-boot.js";
import { cliSync, runCli } from "./e2e-cli.js";
import { localImages, requireDockerImages } from "./docker.js";
import { instancesIn, orphans, stackStates, type FleetUser } from "./fleet-e2e.js";
import { requirePulumi } from "./pulumi-path.js";

const tmp = mkdtempSync(join(tmpdir(), "dstack-fleet-runs-"));
const repo = join(tmp, "repo");
const users: FleetUser[] = [];
let fakeBin = "";

const WHERE = "backends: [aws]\nregions: [us-east-1]\ninstance_types: [t3.large]\nspot_policy: on-demand\n";
const FLEET = `type: fleet\nname: pair\nnodes: 2\n${WHERE}`;

function write(file: string, body: string): string {
  writeFileSync(join(repo, file), body);
  return file;
}

const task = (name: string, fleets: string): string =>
  write(
    `${name}.dstack.yml`,
    `type: task\nname: ${name}\ncommands:\n  - hostname\n  - exit 4\nfleets: [${fleets}]\n${WHERE}`,
  );

const dev = (name: string): string =>
  write(`${name}.dstack.yml`, `type: dev-environment\nname: ${name}\nide: vscode\nfleets: [pair]\n${WHERE}`);

interface PoolFile {
  fleet?: string;
  instances: { name: string; idle_duration: number | "off"; host?: string }[];
}

function poolFile(u: FleetUser, name: string): PoolFile | undefined {
  try {
    return JSON.parse(readFileSync(join(u.home, ".dstack", "pools", `${name}.json`), "utf8")) as PoolFile;
  } catch {
    return undefined;
  }
}

interface PsRun {
  name: string;
  instance: string;
  status: string;
}

const runs = (u: FleetUser): PsRun[] =>
  (JSON.parse(cliSync(["ps", "-a", "--json"], { cwd: repo, env: u.env }).stdout) as { runs: PsRun[] }).runs;

describe("runs on a fleet's instances (fake cloud, booting)", () => {
  beforeAll(() => {
    requirePulumi();
    requireDockerImages(localImages().instance, localImages().base);
    fakeBin = installFakeCloud(join(tmp, "fake-bin")).binDir;
    execFileSync("mkdir", ["-p", repo]);
    execFileSync("git", ["init", "-q", repo]);
  });

  afterAll(() => cleanUp(users), 120_000);

  it("a fleet's nodes are a pool; fleets: [NAME] places runs on them and never creates; delete cleans up", async () => {
    const u = bootingUser(fakeBin, "backends:\n  - type: aws\n");
    users.push(u);
    const env = u.env;

    // 1. The fleet: both nodes in one update of the fleet's stack, recorded as the fleet's pool.
    write("pair.dstack.yml", FLEET);
    const fleet = await runCli(["apply", "-f", "pair.dstack.yml", "-y"], {
      cwd: repo,
      env,
      timeoutMs: 300_000,
    });
    expect(fleet.code, fleet.out).toBe(0);
    const pool = poolFile(u, "pair");
    expect(pool?.fleet).toBe("pair");
    expect(pool?.instances.map((i) => [i.name, i.idle_duration])).toEqual([
      ["pair-0", 3 * 86400],
      ["pair-1", 3 * 86400],
    ]);
    expect(pool?.instances.every((i) => /^127\.0\.0\.\d+$/.test(i.host ?? ""))).toBe(true);
    expect(instancesIn(u.cloud)).toHaveLength(2);

    // 2. A task with fleets: [pair] reuses a node: no infrastructure change, the task's exit code.
    const first = await runCli(["apply", "-f", task("once", "pair"), "-y"], {
      cwd: repo,
      env,
      timeoutMs: 300_000,
    });
    expect(first.out).toMatch(/Reusing idle instance pair-[01]: no infrastructure changes\./);
    expect(first.code, first.out).toBe(4);
    expect(instancesIn(u.cloud)).toHaveLength(2);
    // The fleet's idle_duration stays the fleet's (a run's 5m does not shorten it).
    expect(poolFile(u, "pair")?.instances.map((i) => i.idle_duration)).toEqual([3 * 86400, 3 * 86400]);

    // 3. An unknown fleet is refused before anything happens.
    const unknown = await runCli(["apply", "-f", task("lost", "pairs"), "-y"], { cwd: repo, env });
    expect(unknown.code, unknown.out).toBe(1);
    expect(unknown.stderr).toContain('fleets: no fleet named "pairs"');
    expect(unknown.stderr).toContain('did you mean "pair"?');

    // 4. Two dev environments hold both nodes; a third run is refused: a run with fleets creates nothing.
    for (const name of ["dev-a", "dev-b"]) {
      const r = await runCli(["apply", "-f", dev(name), "-y", "-d"], { cwd: repo, env, timeoutMs: 300_000 });
      expect(r.code, r.out).toBe(0);
      expect(r.out).toMatch(/Reusing idle instance pair-[01]: no infrastructure changes\./);
    }
    const held = runs(u).filter((r) => r.name.startsWith("dev-"));
    expect(held.map((r) => r.status)).toEqual(["running", "running"]);
    expect(new Set(held.map((r) => r.instance))).toEqual(new Set(["pair-0", "pair-1"]));
    const third = await runCli(["apply", "-f", task("third", "pair"), "-y"], { cwd: repo, env });
    expect(third.code, third.out).toBe(1);
    expect(third.stderr).toContain("no idle instance of fleet pair fits");
    expect(instancesIn(u.cloud)).toHaveLength(2);

    // 5. `pool ps` shows both nodes busy; neither a node nor the fleet can be removed while runs are on it.
    const nodes = JSON.parse(
      cliSync(["pool", "ps", "--pool", "pair", "--json"], { cwd: repo, env }).stdout,
    ) as {
      instances: { name: string; status: string }[];
    };
    expect(nodes.instances.map((i) => i.status)).toEqual(["busy", "busy"]);
    // `dstack fleet` lists the fleet with its nodes, each busy with its run.
    const listing = cliSync(["fleet"], { cwd: repo, env });
    expect(listing.code, listing.out).toBe(0);
    expect(listing.stdout).toMatch(/pair-0 +pair +.* busy \(dev-[ab]\)/);
    expect(listing.stdout).toMatch(/pair-1 +pair +.* busy \(dev-[ab]\)/);
    const node = cliSync(["pool", "remove", "pair-0", "-y"], { cwd: repo, env });
    expect(node.code, node.out).toBe(1);
    expect(node.stderr).toMatch(/instance pair-0 runs dev-[ab]/);
    const busy = cliSync(["delete", "pair", "-y"], { cwd: repo, env });
    expect(busy.code, busy.out).toBe(1);
    expect(busy.stderr).toMatch(/fleet pair has active runs: dev-[ab], dev-[ab]/);
    for (const name of ["dev-a", "dev-b"])
      expect(cliSync(["stop", name, "-y"], { cwd: repo, env }).code).toBe(0);
    // Stopped runs free their nodes: `pool ps` says so at once (not at the reaper's next pass).
    const freed = JSON.parse(
      cliSync(["pool", "ps", "--pool", "pair", "--json"], { cwd: repo, env }).stdout,
    ) as {
      instances: { status: string }[];
    };
    expect(freed.instances.map((i) => i.status)).toEqual(["idle", "idle"]);
    // `pool remove` takes one through the fleet's stack; the fleet shows 1 of 2.
    const removed = cliSync(["pool", "remove", "pair-0", "-y"], { cwd: repo, env });
    expect(removed.code, removed.out).toBe(0);
    expect(poolFile(u, "pair")?.instances.map((i) => i.name)).toEqual(["pair-1"]);
    expect(instancesIn(u.cloud)).toHaveLength(1);
    expect(cliSync(["ps"], { cwd: repo, env }).stdout).toMatch(/pair .* 1\/2 /);
    const deleted = cliSync(["delete", "pair", "-y"], { cwd: repo, env });
    expect(deleted.code, deleted.out).toBe(0);
    expect(poolFile(u, "pair")).toBeUndefined();
    expect(instancesIn(u.cloud)).toEqual([]);
    expect(orphans(u)).toEqual([]);
    expect(stackStates(u.home).filter((s) => s.ids.length > 0 || s.locked || s.pending > 0)).toEqual([]);
    expect(bootedContainers(u.cloud)).toEqual([]);
  }, 900_000);
});
