// `apply -d` of a cloud fleet under retry (issue 6, section 5): a first pass without capacity hands
// the retrying to a background process (dstack _provision-fleet NAME) and apply returns; `ps` shows the
// fleet pending with its attempts and next try; it is provisioned once capacity appears, and `dstack
// delete` cancels a pending one cleanly. Fake cloud, real engine, the built CLI; DSTACK_BACKOFF_SCALE
// shortens the waits. After each: nothing in the fake cloud that no stack holds, no lock, no process.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installFakeCloud } from "../fake-cloud/install.js";
import { faultAttempts, listResources, writeFaults } from "../fake-cloud/state.js";
import { cliSync, runCli } from "./e2e-cli.js";
import { until } from "../until.js";
import { fleetUser, instancesIn, orphans, stackStates, type FleetUser } from "./fleet-e2e.js";
import { requirePulumi } from "./pulumi-path.js";
import { stampAlive, stampOf } from "../../src/process-identity.js";

const tmp = mkdtempSync(join(tmpdir(), "dstack-cloud-detached-"));
const repo = join(tmp, "repo");
let fakeBin = "";

interface FleetPs {
  name: string;
  status: string;
  zone: string | null;
  instances: unknown[];
  retrying?: { reason: string; attempts: number; pid: number | null; next_try_at: string | null };
}

const fleets = (u: FleetUser): FleetPs[] =>
  (JSON.parse(cliSync(["ps", "--json"], { cwd: repo, env: u.env }).stdout) as { fleets: FleetPs[] }).fleets;

/** A zombie (exited, not yet reaped by whoever adopted it) counts as gone. */
const alive = (pid: number): boolean => stampAlive(stampOf(pid));

function expectClean(u: FleetUser): void {
  expect(orphans(u).map((r) => `${r.type} ${r.id}`)).toEqual([]);
  for (const s of stackStates(u.home)) {
    expect(s.pending, `pending operations in ${s.project}/${s.stack}`).toBe(0);
    expect(s.locked, `${s.project}/${s.stack} is locked`).toBe(false);
  }
}

describe("apply -d of a cloud fleet under retry (fake cloud, real engine)", () => {
  beforeAll(() => {
    requirePulumi();
    fakeBin = installFakeCloud(join(tmp, "fake-bin")).binDir;
    execFileSync("git", ["init", "-q", repo]);
    writeFileSync(
      join(repo, "later.dstack.yml"),
      "type: fleet\nname: later\nnodes: 1\nbackends: [aws]\nregions: [us-east-1]\ninstance_types: [t3.large]\nspot_policy: on-demand\nretry:\n  on_events: [no-capacity]\n  duration: 10m\n",
    );
  });

  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("returns pending; ps follows the background retrying; the fleet is provisioned once capacity appears", async () => {
    const u = fleetUser(fakeBin, undefined, { DSTACK_BACKOFF_SCALE: "0.2" });
    // No capacity anywhere until this test writes the file, once it has seen the fleet pending.
    writeFaults(u.cloud, [{ cloud: "aws", error: "capacity", until_file: "capacity" }]);
    const r = await runCli(["apply", "-f", "later.dstack.yml", "-y", "-d"], {
      cwd: repo,
      env: u.env,
      timeoutMs: 120_000,
    });
    expect(r.code, r.out).toBe(0);
    expect(r.stdout).toMatch(
      /^Fleet later is pending: no capacity yet after 5 attempts; retrying in the background \(pid \d+\)/,
    );
    const [pending] = fleets(u);
    expect(pending).toMatchObject({ name: "later", status: "pending", instances: [] });
    const pid = pending?.retrying?.pid ?? 0;
    expect(alive(pid)).toBe(true);
    expect(cliSync(["ps"], { cwd: repo, env: u.env }).stdout).toMatch(
      /later .*pending \(no capacity, attempt (5|\d+ in progress)/,
    );

    // ps follows the background process: its first attempt (the sixth) fails, and ps counts it.
    await until(
      "the background process's first attempt",
      () => (faultAttempts(u.cloud, 0) >= 6 ? true : undefined),
      60_000,
      { intervalMs: 100 },
    );
    const counted = await until(
      "ps to count the sixth attempt",
      () => fleets(u).find((f) => f.name === "later" && (f.retrying?.attempts ?? 0) >= 6),
      60_000,
    );
    expect(counted).toMatchObject({ status: "pending", instances: [], retrying: { pid } });

    // Capacity appears.
    writeFileSync(join(u.cloud, "capacity"), "");
    const done = await until(
      "the fleet to be provisioned",
      () => fleets(u).find((f) => f.name === "later" && f.status === "provisioned"),
      120_000,
    );
    expect(done.instances).toHaveLength(1);
    expect(done.retrying).toBeUndefined();
    await until("the background process to exit", () => (alive(pid) ? undefined : true), 30_000);
    expect(instancesIn(u.cloud)).toHaveLength(1);
    expectClean(u);
    expect(cliSync(["delete", "later", "-y"], { cwd: repo, env: u.env }).code).toBe(0);
    expect(listResources(u.cloud)).toEqual([]);
    expect(stackStates(u.home)).toEqual([]);
  }, 240_000);

  it("delete cancels a pending fleet: the process ends, nothing was created, nothing is left", async () => {
    const u = fleetUser(fakeBin, undefined, { DSTACK_BACKOFF_SCALE: "0.2" });
    writeFaults(u.cloud, [{ cloud: "aws", error: "capacity" }]);
    const r = await runCli(["apply", "-f", "later.dstack.yml", "-y", "-d", "--json"], {
      cwd: repo,
      env: u.env,
      timeoutMs: 120_000,
    });
    expect(r.code, r.out).toBe(0);
    const json = JSON.parse(r.stdout) as { fleet: FleetPs };
    expect(json.fleet).toMatchObject({ name: "later", status: "pending" });
    const pid = json.fleet.retrying?.pid ?? 0;
    expect(alive(pid)).toBe(true);

    const d = cliSync(["delete", "later", "-y"], { cwd: repo, env: u.env });
    expect(d.code, d.out).toBe(0);
    expect(d.stdout).toContain("Cancelled the pending fleet later; nothing was created.");
    expect(alive(pid)).toBe(false);
    expect(fleets(u)).toEqual([]);
    expect(listResources(u.cloud)).toEqual([]);
    expectClean(u);
    expect(stackStates(u.home)).toEqual([]);
  }, 180_000);
});
