// `dstack gc` end to end: the built CLI, the real Pulumi engine and the fake cloud (records only, no
// booting). A fleet applied with the CLI owns its instance; resources seeded behind the state's back
// are orphans when tagged dstack-managed, and are left alone when untagged or in a region gc does not
// look in. `gc` lists only the orphans; `--yes` deletes the instance and keeps the volume; `--volumes`
// deletes it too; the fleet's resources and stack are untouched; a last `gc` finds nothing. Bad input
// and an unreachable state backend fail with a clear message and change nothing.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JsonObject } from "../fake-cloud/core/values.js";
import { installFakeCloud } from "../fake-cloud/install.js";
import { listResources, seedResource } from "../fake-cloud/state.js";
import { cliSync, runCli, type CliRun } from "./e2e-cli.js";
import { fleetUser, stackStates, type FleetUser } from "./fleet-e2e.js";
import { requirePulumi } from "./pulumi-path.js";

const tmp = mkdtempSync(join(tmpdir(), "dstack-gc-"));
const repo = join(tmp, "repo");
const homes: string[] = [];
let fakeBin = "";

const CONFIG = "backends:\n  - type: aws\n    regions: [us-east-1]\n";
const MANAGED = { "dstack-managed": "true", "dstack-project": "main", "dstack-pool": "lost" };
const INSTANCE = "aws:ec2/instance:Instance";
const VOLUME = "aws:ebs/volume:Volume";
const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
const ORPHAN = "i-0aaaaaaaaaaaaaaa1";
const UNTAGGED = "i-0aaaaaaaaaaaaaaa2";
const FAR_AWAY = "i-0aaaaaaaaaaaaaaa3";
const ORPHAN_VOLUME = "vol-0aaaaaaaaaaaaaaa4";

function user(config?: string): FleetUser {
  const u = fleetUser(fakeBin, config);
  homes.push(u.home);
  return u;
}

const gc = (u: FleetUser, ...flags: string[]): Promise<CliRun> =>
  runCli(["gc", ...flags], { cwd: repo, env: u.env, timeoutMs: 180_000 });

function seedInstance(u: FleetUser, id: string, zone: string, tags: Record<string, string>): void {
  const region = zone.slice(0, -1);
  const inputs = { ami: "ami-0123456789abcdef0", instanceType: "t3.large", availabilityZone: zone, tags };
  seedResource(u.cloud, "aws", {
    type: INSTANCE,
    id,
    inputs,
    outputs: {
      ...inputs,
      arn: `arn:aws:ec2:${region}:123456789012:instance/${id}`,
      instanceState: "running",
      tagsAll: tags,
      launchTime: "2025-01-01T00:00:00Z",
    },
  });
}

interface GcJson {
  orphans: { cloud: string; kind: string; id: string; location: string; tags: Record<string, string> }[];
  tagged: number;
  searched: { aws: string[]; gcp: string[] };
  state_backends: string[];
  deleted?: string[];
  kept_volumes?: string[];
  failed?: { id: string; message: string }[];
}

function parsed(r: CliRun): GcJson {
  expect(r.code, r.out).toBe(0);
  return JSON.parse(r.stdout) as GcJson;
}

const ids = (u: FleetUser): string[] =>
  listResources(u.cloud)
    .map((r) => r.id)
    .sort();

describe("dstack gc (fake cloud, real engine)", () => {
  beforeAll(() => {
    requirePulumi();
    fakeBin = installFakeCloud(join(tmp, "fake-bin")).binDir;
    execFileSync("git", ["init", "-q", repo]);
  });

  afterAll(() => {
    for (const home of homes) rmSync(home, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  });

  it("lists only the tagged resources no stack owns, deletes them with --yes (volumes with --volumes), and then finds none", async () => {
    const u = user(CONFIG);
    writeFileSync(
      join(repo, "owned.dstack.yml"),
      "type: fleet\nname: owned\nnodes: 1\nbackends: [aws]\nregions: [us-east-1]\ninstance_types: [t3.large]\nspot_policy: on-demand\n",
    );
    const applied = await runCli(["apply", "-f", "owned.dstack.yml", "-y"], {
      cwd: repo,
      env: u.env,
      timeoutMs: 180_000,
    });
    expect(applied.code, applied.out).toBe(0);
    const owned = listResources(u.cloud, "aws");
    expect(owned.map((r) => r.type)).toContain(INSTANCE);
    const stacksBefore = stackStates(u.home);

    seedInstance(u, ORPHAN, "us-east-1b", { ...MANAGED, Name: "dstack-main-lost-node" });
    seedInstance(u, UNTAGGED, "us-east-1a", { Name: "someone-elses" });
    seedInstance(u, FAR_AWAY, "eu-west-1a", { ...MANAGED });
    seedResource(u.cloud, "aws", {
      type: VOLUME,
      id: ORPHAN_VOLUME,
      inputs: { availabilityZone: "us-east-1b", size: 100, tags: { ...MANAGED, "dstack-volume": "data" } },
      outputs: {
        availabilityZone: "us-east-1b",
        size: 100,
        type: "gp3",
        arn: `arn:aws:ec2:us-east-1:123456789012:volume/${ORPHAN_VOLUME}`,
        tags: { ...MANAGED, "dstack-volume": "data" },
      },
    });

    const listed = parsed(await gc(u, "--json"));
    expect(listed.searched).toEqual({ aws: ["us-east-1"], gcp: [] });
    expect(listed.orphans.map((o) => [o.kind, o.id]).sort()).toEqual([
      ["instance", ORPHAN],
      ["volume", ORPHAN_VOLUME],
    ]);
    // Every tagged instance and security group of us-east-1 (the fleet's) and the two orphans; key
    // pairs have no list call.
    const listable = owned.filter((r) => r.type === INSTANCE || r.type === SECURITY_GROUP);
    expect(listable.length).toBeGreaterThanOrEqual(2);
    expect(listed.tagged).toBe(listable.length + 2);
    expect(listed.orphans.find((o) => o.id === ORPHAN)).toMatchObject({
      cloud: "aws",
      location: "us-east-1b",
      tags: { "dstack-pool": "lost", Name: "dstack-main-lost-node" },
    });

    const table = await gc(u);
    expect(table.code, table.out).toBe(0);
    expect(table.stdout).toMatch(/CLOUD\s+REGION\s+TYPE\s+ID\s+NAME\/TAGS\s+CREATED/);
    expect(table.stdout).toMatch(
      new RegExp(
        `aws\\s+us-east-1b\\s+instance\\s+${ORPHAN}\\s+dstack-main-lost-node \\(main/lost\\)\\s+\\d+d ago`,
      ),
    );
    for (const r of owned) expect(table.stdout).not.toContain(r.id);
    expect(table.stdout).toContain("dstack gc --yes");
    expect(ids(u)).toContain(ORPHAN); // listing changes nothing

    const deleted = await gc(u, "--yes");
    expect(deleted.code, deleted.out).toBe(0);
    expect(deleted.stdout).toContain(`Deleted instance ${ORPHAN} (aws us-east-1b).`);
    expect(deleted.stdout).toContain(`Kept 1 orphaned volume (they hold data): ${ORPHAN_VOLUME}`);
    expect(ids(u)).toEqual([...owned.map((r) => r.id), UNTAGGED, FAR_AWAY, ORPHAN_VOLUME].sort());

    const volumes = parsed(await gc(u, "--yes", "--volumes", "--json"));
    expect(volumes.deleted).toEqual([ORPHAN_VOLUME]);
    expect(volumes.failed).toEqual([]);
    expect(ids(u)).toEqual([...owned.map((r) => r.id), UNTAGGED, FAR_AWAY].sort());

    const last = await gc(u);
    expect(last.code, last.out).toBe(0);
    expect(last.stdout.trim()).toBe(
      `No orphans: ${listed.tagged - 2} tagged resources, all owned by stacks.`,
    );
    // The fleet's stack is as apply left it, and gc left no stack of its own behind.
    expect(stackStates(u.home)).toEqual(stacksBefore);
    const ps = JSON.parse(cliSync(["ps", "--json"], { cwd: repo, env: u.env }).stdout) as {
      fleets: { name: string; status: string }[];
    };
    expect(ps.fleets).toMatchObject([{ name: "owned", status: "provisioned" }]);
  }, 300_000);

  it("GCP: finds labelled instances and volumes through the asset search (not boot disks), deletes them; Azure is named as not searched", async () => {
    const u = user("backends:\n  - type: gcp\n    project: proj-1\n  - type: azure\n");
    const labels = { "dstack-managed": "true", "dstack-project": "main", "dstack-pool": "lost" };
    const place = { project: "proj-1", zone: "us-central1-a" };
    const vm: JsonObject = {
      ...place,
      name: "lost",
      machineType: "n1-standard-4",
      bootDisk: { initializeParams: { image: "debian-12" } },
      networkInterfaces: [{ network: "default" }],
      labels,
    };
    const seed = (type: string, id: string, inputs: JsonObject): void =>
      seedResource(u.cloud, "gcp", { type, id, inputs, outputs: inputs });
    const prefix = "projects/proj-1/zones/us-central1-a";
    seed("gcp:compute/instance:Instance", `${prefix}/instances/lost`, vm);
    seed("gcp:compute/disk:Disk", `${prefix}/disks/data`, {
      ...place,
      name: "data",
      size: 50,
      labels: { ...labels, "dstack-volume": "data" },
    });
    seed("gcp:compute/disk:Disk", `${prefix}/disks/boot`, {
      ...place,
      name: "boot",
      size: 50,
      labels: { ...labels, "dstack-instance": "lost" },
    });
    const r = await gc(u, "--yes", "--volumes");
    expect(r.code, r.out).toBe(0);
    expect(r.stderr).toContain("Not searched: azure: azure-native has no call that lists resources by tag");
    expect(r.stdout).toContain(`Deleted instance ${prefix}/instances/lost (gcp proj-1/us-central1-a).`);
    expect(r.stdout).toContain(`Deleted volume ${prefix}/disks/data`);
    expect(ids(u)).toEqual([`${prefix}/disks/boot`]);
  }, 180_000);

  it("without a cloud backend or cloud records, says so and changes nothing", async () => {
    const u = user();
    seedInstance(u, ORPHAN, "us-east-1b", { ...MANAGED });
    const r = await gc(u, "--yes");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no cloud backend to look in");
    expect(r.stderr).toContain("~/.dstack/config.yml");
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(ids(u)).toEqual([ORPHAN]);
  }, 60_000);

  it("an unreachable state backend fails with its URL and deletes nothing", async () => {
    const u = user(CONFIG);
    seedInstance(u, ORPHAN, "us-east-1b", { ...MANAGED });
    const r = await gc(u, "--yes", "--backend-url", "https://127.0.0.1:9");
    expect(r.code, r.out).toBe(1);
    expect(r.stderr).toContain("cannot list the stacks of the state backend https://127.0.0.1:9");
    expect(r.stderr).toContain("nothing was changed");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(ids(u)).toEqual([ORPHAN]);
  }, 120_000);
});
