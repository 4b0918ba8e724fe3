// Cloud volumes (issue 13) through the built CLI, the real engine and the fake cloud, records only (no
// booting): for each of aws, gcp and azure, `dstack apply` of a volume creates it through its own stack
// (`volume-<name>`) in the region's first zone and records the provider's id and zone; applying it
// again changes nothing; a task mounting it plans its instance only in the volume's zone, and its pool
// stack attaches the volume by id without creating one; `dstack volume delete` destroys the stack, and
// with it the volume: nothing is left in the fake cloud, the state or the records.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { installFakeCloud } from "../fake-cloud/install.js";
import { listResources } from "../fake-cloud/state.js";
import { runCli } from "./e2e-cli.js";
import { fleetUser, stackStates } from "./fleet-e2e.js";
import { requirePulumi } from "./pulumi-path.js";

interface Cloud {
  cloud: "aws" | "gcp" | "azure";
  config: string;
  region: string;
  zone: string;
  instanceType: string;
  volumeType: string;
  attachment: string;
  id: RegExp;
}

const CLOUDS: Cloud[] = [
  {
    cloud: "aws",
    config: "backends:\n  - type: aws\n",
    region: "us-east-1",
    zone: "us-east-1a",
    instanceType: "t3.large",
    volumeType: "aws:ebs/volume:Volume",
    attachment: "aws:ec2/volumeAttachment:VolumeAttachment",
    id: /^vol-[0-9a-f]{17}$/,
  },
  {
    cloud: "gcp",
    config: "backends:\n  - type: gcp\n    project: dstack-test\n",
    region: "us-central1",
    zone: "us-central1-a",
    instanceType: "e2-standard-4",
    volumeType: "gcp:compute/disk:Disk",
    attachment: "gcp:compute/attachedDisk:AttachedDisk",
    id: /^https:\/\/www\.googleapis\.com\/compute\/v1\/projects\/dstack-test\/zones\/us-central1-a\/disks\//,
  },
  {
    cloud: "azure",
    config: "backends:\n  - type: azure\n    subscription_id: 11111111-2222-3333-4444-555555555555\n",
    region: "eastus",
    zone: "eastus-1",
    instanceType: "Standard_D4s_v5",
    volumeType: "azure-native:compute:Disk",
    // Azure attaches data disks inside the VM resource: the VM's create carries it.
    attachment: "azure-native:compute:VirtualMachine",
    id: /^\/subscriptions\/11111111-2222-3333-4444-555555555555\/resourceGroups\/.+\/providers\/Microsoft\.Compute\/disks\//,
  },
];

const tmp = mkdtempSync(join(tmpdir(), "dstack-cloud-volumes-"));
let fakeBin = "";

interface VolumeJson {
  name: string;
  backend: string;
  region: string;
  availability_zone: string | null;
  volume_id: string | null;
  registered: boolean;
  stack: { stack: string } | null;
}

describe.concurrent("cloud volumes (fake cloud, records only)", () => {
  beforeAll(() => {
    requirePulumi();
    fakeBin = installFakeCloud(join(tmp, "fake-bin")).binDir;
  });

  for (const c of CLOUDS) {
    it(`${c.cloud}: apply creates the volume in its own stack, again changes nothing, a task is placed in its zone, delete deletes it`, async () => {
      const u = fleetUser(fakeBin, c.config);
      const dir = join(tmp, c.cloud);
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(dir, "vol.dstack.yml"),
        `type: volume\nname: data-${c.cloud}\nbackend: ${c.cloud}\nregion: ${c.region}\nsize: 50GB\n`,
      );
      const cli = (args: string[]) => runCli(args, { cwd: dir, env: u.env });

      const dry = await cli(["apply", "-f", "vol.dstack.yml", "--dry-run"]);
      expect(dry.code, dry.out).toBe(0);
      expect(dry.out).toContain(`Zone: ${c.zone}, the region's first zone`);
      expect(listResources(u.cloud)).toEqual([]);

      const created = await cli(["apply", "-f", "vol.dstack.yml", "-y", "--json"]);
      expect(created.code, created.out).toBe(0);
      const out = JSON.parse(created.stdout) as { result: string; volume: VolumeJson };
      expect(out.result).toBe("created");
      expect(out.volume).toMatchObject({
        name: `data-${c.cloud}`,
        backend: c.cloud,
        region: c.region,
        availability_zone: c.zone,
        registered: false,
        stack: { stack: `volume-data-${c.cloud}` },
      });
      expect(out.volume.volume_id).toMatch(c.id);
      const [disk, ...others] = listResources(u.cloud, c.cloud, c.volumeType);
      expect(others).toEqual([]);
      expect(disk?.id === out.volume.volume_id || disk?.outputs.selfLink === out.volume.volume_id).toBe(true);

      const listed = await cli(["volume", "list", "--json"]);
      expect((JSON.parse(listed.stdout) as { volumes: VolumeJson[] }).volumes).toMatchObject([
        { name: `data-${c.cloud}`, volume_id: out.volume.volume_id, availability_zone: c.zone },
      ]);

      const again = await cli(["apply", "-f", "vol.dstack.yml", "-y"]);
      expect(again.code, again.out).toBe(0);
      expect(again.stdout).toContain("already exists: no changes");
      expect(listResources(u.cloud, c.cloud, c.volumeType).map((r) => r.id)).toEqual([disk?.id]);

      // A task mounting it: attempts only in the volume's zone; the pool stack attaches it by id.
      writeFileSync(
        join(dir, "task.dstack.yml"),
        `type: task\nname: reader\ncommands: [ls /data]\nvolumes: [data-${c.cloud}:/data]\n` +
          `instance_types: [${c.instanceType}]\nspot_policy: on-demand\n`,
      );
      const task = await cli(["apply", "-f", "task.dstack.yml", "--dry-run", "--json"]);
      expect(task.code, task.out).toBe(0);
      expect(task.stderr).toContain(`the instance goes to ${c.cloud} ${c.region} (${c.zone})`);
      const plan = JSON.parse(task.stdout) as {
        attempts: { backend: string; region: string; zone: string | null }[];
        plan: { steps: { op: string; type: string }[] };
      };
      expect(plan.attempts.length).toBeGreaterThan(0);
      for (const a of plan.attempts)
        expect(a).toMatchObject({ backend: c.cloud, region: c.region, zone: c.zone });
      const types = plan.plan.steps.map((s) => `${s.op} ${s.type}`);
      expect(types).toContain(`create ${c.attachment}`);
      // Attached by id: the run's pool never creates (nor could delete) a volume of its own.
      expect(types).not.toContain(`create ${c.volumeType}`);

      const deleted = await cli(["volume", "delete", `data-${c.cloud}`, "-y"]);
      expect(deleted.code, deleted.out).toBe(0);
      expect(deleted.stdout).toContain(`Deleted the volume data-${c.cloud}`);
      expect(listResources(u.cloud)).toEqual([]);
      expect(existsSync(join(u.home, ".dstack", "volumes", `data-${c.cloud}.json`))).toBe(false);
      expect(stackStates(u.home).filter((s) => s.ids.length > 0 || s.locked)).toEqual([]);
    }, 600_000);
  }
});
