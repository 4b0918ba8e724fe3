// A run mounting a cloud volume (issue 13), end to end on AWS against the fake cloud with booting on:
// the task's instance is created in the volume's zone and its pool stack attaches the recorded EBS
// volume by id (a VolumeAttachment in the fake cloud); the fake boots containers without block devices,
// so the agent falls back to a Docker volume of the volume's name. `dstack volume delete` is refused
// while the run is active, then while its idle instance keeps the volume attached; once the instance is
// removed, the delete deletes the volume, and nothing is left.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installFakeCloud } from "../fake-cloud/install.js";
import { listResources } from "../fake-cloud/state.js";
import { bootingUser, cleanUp } from "./fake-cloud-boot.js";
import { runCli } from "./e2e-cli.js";
import { localImages, requireDockerImages } from "./docker.js";
import { orphans, stackStates, type FleetUser } from "./fleet-e2e.js";
import { requirePulumi } from "./pulumi-path.js";

const tmp = mkdtempSync(join(tmpdir(), "dstack-cloud-volume-runs-"));
const repo = join(tmp, "repo");
const users: FleetUser[] = [];
// Unique per test run: the fallback Docker volume lives on this machine's engine.
const volume = `vol-${Date.now().toString(36)}`;
let fakeBin = "";

function git(...args: string[]): void {
  execFileSync("git", ["-c", "user.email=e2e@dstack", "-c", "user.name=e2e", ...args], { cwd: repo });
}

interface PoolInstanceJson {
  name: string;
  zone?: string | null;
  id?: string;
  spec?: { volumes: string[] };
  attached_volumes?: { name: string; volume_id: string | null }[];
}

const poolInstances = (u: FleetUser): PoolInstanceJson[] =>
  (
    JSON.parse(readFileSync(join(u.home, ".dstack", "pools", "aws-us-east-1.json"), "utf8")) as {
      instances: PoolInstanceJson[];
    }
  ).instances;

describe("a run mounting a cloud volume (fake cloud, booting)", () => {
  beforeAll(() => {
    requirePulumi();
    requireDockerImages(localImages().instance, localImages().base);
    fakeBin = installFakeCloud(join(tmp, "fake-bin")).binDir;
    execFileSync("mkdir", ["-p", repo]);
    writeFileSync(join(repo, "README.md"), "volumes\n");
    git("init", "-q");
    git("add", ".");
    git("commit", "-qm", "init");
  });

  afterAll(() => {
    cleanUp(users);
    spawnSync("docker", ["volume", "rm", "-f", volume], { stdio: "ignore" });
  }, 120_000);

  it("places the instance in the volume's zone, attaches it by id, and refuses its deletion while attached", async () => {
    const u = bootingUser(fakeBin, "backends:\n  - type: aws\n");
    users.push(u);
    const cli = (args: string[]) => runCli(args, { cwd: repo, env: u.env, timeoutMs: 480_000 });
    writeFileSync(
      join(repo, "vol.dstack.yml"),
      `type: volume\nname: ${volume}\nbackend: aws\nregion: us-east-1\navailability_zone: us-east-1b\nsize: 20GB\n`,
    );
    const created = await cli(["apply", "-f", "vol.dstack.yml", "-y", "--json"]);
    expect(created.code, created.out).toBe(0);
    const volumeId = (JSON.parse(created.stdout) as { volume: { volume_id: string } }).volume.volume_id;
    expect(volumeId).toMatch(/^vol-/);

    writeFileSync(
      join(repo, "task.dstack.yml"),
      `type: task\nname: reader\ncommands:\n  - echo kept > /data/hello\n  - sleep 600\n` +
        `volumes: [${volume}:/data]\nbackends: [aws]\nregions: [us-east-1]\ninstance_types: [t3.large]\n` +
        `spot_policy: on-demand\nidle_duration: 30m\n`,
    );
    const applied = await cli(["apply", "-f", "task.dstack.yml", "-y", "-d"]);
    expect(applied.code, applied.out).toBe(0);
    expect(applied.out).toContain(`Volume ${volume}: the instance goes to aws us-east-1 (us-east-1b)`);

    // The instance is in the volume's zone, and its pool stack attaches the recorded volume by id.
    const [instance, ...more] = poolInstances(u);
    expect(more).toEqual([]);
    expect(instance).toMatchObject({
      zone: "us-east-1b",
      spec: { volumes: [volume] },
      attached_volumes: [{ name: volume, volume_id: volumeId }],
    });
    const [ec2] = listResources(u.cloud, "aws", "aws:ec2/instance:Instance");
    expect(ec2?.outputs.availabilityZone).toBe("us-east-1b");
    const attachments = listResources(u.cloud, "aws", "aws:ec2/volumeAttachment:VolumeAttachment");
    expect(attachments.map((a) => [a.inputs.volumeId, a.inputs.instanceId, a.inputs.deviceName])).toEqual([
      [volumeId, ec2?.id, "/dev/sdf"],
    ]);
    expect(listResources(u.cloud, "aws", "aws:ebs/volume:Volume").map((v) => v.id)).toEqual([volumeId]);
    // No block device in the fake's container: the run got a Docker volume of the volume's name.
    const docker = spawnSync("docker", ["volume", "inspect", volume], { encoding: "utf8" });
    expect(docker.status, docker.stderr).toBe(0);

    const busy = await cli(["volume", "delete", volume, "-y"]);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain(`volume ${volume} is attached to reader`);

    const stopped = await cli(["stop", "reader", "-y"]);
    expect(stopped.code, stopped.out).toBe(0);
    const held = await cli(["volume", "delete", volume, "-y"]);
    expect(held.code).toBe(1);
    expect(held.stderr).toContain(`is attached to instance ${instance?.name ?? ""}`);
    expect(held.stderr).toContain(`dstack pool remove ${instance?.name ?? ""}`);
    expect(listResources(u.cloud, "aws", "aws:ebs/volume:Volume").map((v) => v.id)).toEqual([volumeId]);

    const removed = await cli(["pool", "remove", instance?.name ?? "", "-y"]);
    expect(removed.code, removed.out).toBe(0);
    // The pool's teardown detaches the volume and never deletes it.
    expect(listResources(u.cloud, "aws", "aws:ebs/volume:Volume").map((v) => v.id)).toEqual([volumeId]);
    expect(listResources(u.cloud, "aws", "aws:ec2/volumeAttachment:VolumeAttachment")).toEqual([]);

    const deleted = await cli(["volume", "delete", volume, "-y"]);
    expect(deleted.code, deleted.out).toBe(0);
    expect(listResources(u.cloud)).toEqual([]);
    expect(orphans(u)).toEqual([]);
    expect(stackStates(u.home).filter((s) => s.ids.length > 0 || s.locked || s.pending > 0)).toEqual([]);
  }, 600_000);
});
