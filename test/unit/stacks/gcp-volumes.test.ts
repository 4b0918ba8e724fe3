// Volumes of a GCP pool: created disks are retained on delete, existing disks are only attached, and
// instances reach disks only through attachments, so no instance or pool teardown deletes a volume.
import { describe, expect, it } from "vitest";
import { UserError } from "../../../src/errors.js";
import { TYPES, build, installMocks, instanceSpec, ofType, onlyOfType, poolSpec } from "./gcp-mocks.js";

await installMocks();
const { gcpPool } = await import("../../../src/stacks/gcp/pool.js");

const { instance: INSTANCE, tpu: TPU, disk: DISK, attachedDisk: ATTACHED } = TYPES;
const ZONE = "us-central1-b";
const DISK_PATH = `projects/gcp-proj/zones/${ZONE}/disks/dstack-main-gpu-pool-vol-data`;

describe("GCP pool volumes", () => {
  it("a new volume is a pd-balanced Disk, retained on delete, attached by an AttachedDisk", async () => {
    const { resources, outputs } = await build(
      poolSpec({
        instances: [instanceSpec({ volumes: ["data"] })],
        volumes: [{ name: "data", size_gb: 500, zone: ZONE, volume_id: null }],
      }),
    );
    const disk = onlyOfType(resources, DISK);
    expect(disk.inputs).toMatchObject({
      name: "dstack-main-gpu-pool-vol-data",
      size: 500,
      zone: ZONE,
      type: "pd-balanced",
      labels: { "dstack-managed": "true", "dstack-volume": "data" },
    });
    expect(disk.retainOnDelete).toBe(true);
    const attached = onlyOfType(resources, ATTACHED);
    expect(attached.inputs).toEqual({
      disk: `https://www.googleapis.com/compute/v1/${DISK_PATH}`,
      instance: `https://www.googleapis.com/compute/v1/projects/gcp-proj/zones/${ZONE}/instances/dstack-main-gpu-pool-gpu-0`,
      zone: ZONE,
      deviceName: "data",
      mode: "READ_WRITE",
    });
    expect(outputs.volumes).toEqual([{ name: "data", id: DISK_PATH }]);
  });

  it("the instance owns no volume: no attachedDisks of its own, and it ignores the attachments", async () => {
    const { resources } = await build(
      poolSpec({
        instances: [instanceSpec({ volumes: ["data"] })],
        volumes: [{ name: "data", size_gb: 10, zone: ZONE, volume_id: null }],
      }),
    );
    const vm = onlyOfType(resources, INSTANCE);
    expect(vm.inputs).not.toHaveProperty("attachedDisks");
    expect(vm.ignoreChanges).toEqual(["attachedDisks"]);
    // Only the volume's disk is retained: everything else goes with the pool.
    expect(resources.filter((r) => r.retainOnDelete).map((r) => r.type)).toEqual([DISK]);
  });

  it("an existing disk (volume_id) is attached, never created", async () => {
    const { resources, outputs } = await build(
      poolSpec({
        instances: [instanceSpec({ volumes: ["old"] }), instanceSpec({ name: "gpu-1", volumes: ["old"] })],
        volumes: [{ name: "old", size_gb: 100, zone: ZONE, volume_id: "my-existing-disk" }],
      }),
    );
    expect(ofType(resources, DISK)).toHaveLength(0);
    const attachments = ofType(resources, ATTACHED);
    expect(attachments.map((a) => a.name).sort()).toEqual(["gpu-pool-gpu-0-old", "gpu-pool-gpu-1-old"]);
    for (const a of attachments)
      expect(a.inputs).toMatchObject({ disk: "my-existing-disk", deviceName: "old" });
    expect(outputs.volumes).toEqual([{ name: "old", id: "my-existing-disk" }]);
  });

  it("a TPU gets its volumes as dataDisks at creation (GCP attaches nothing to a TPU being created)", async () => {
    const tpu = instanceSpec({
      name: "tpu-0",
      instance_type: "v5litepod-8",
      accelerator: { type: "v5litepod-8", count: 1 },
      tpu: true,
      volumes: ["data", "old"],
    });
    const { resources } = await build(
      poolSpec({
        instances: [tpu],
        volumes: [
          { name: "data", size_gb: 100, zone: ZONE, volume_id: null },
          { name: "old", size_gb: 100, zone: ZONE, volume_id: "old-disk" },
        ],
      }),
    );
    expect(ofType(resources, ATTACHED)).toHaveLength(0);
    expect(onlyOfType(resources, DISK).retainOnDelete).toBe(true);
    expect(onlyOfType(resources, TPU).inputs.dataDisks).toEqual([
      { sourceDisk: DISK_PATH, mode: "READ_WRITE" },
      { sourceDisk: `projects/gcp-proj/zones/${ZONE}/disks/old-disk`, mode: "READ_WRITE" },
    ]);
  });

  it("refuses a volume in another zone, and a bare disk name for a TPU without a known project", () => {
    const tpu = instanceSpec({
      name: "tpu-0",
      tpu: true,
      accelerator: { type: "v2-8", count: 1 },
      volumes: ["old"],
    });
    const spec = poolSpec({
      network: {},
      instances: [instanceSpec({ volumes: ["far"] }), tpu],
      volumes: [
        { name: "far", size_gb: 10, zone: "us-central1-c", volume_id: null },
        { name: "old", size_gb: 10, zone: ZONE, volume_id: "old-disk" },
      ],
    });
    expect(() => gcpPool(spec, { agentSource: "" })).toThrow(UserError);
    expect(() => gcpPool(spec, { agentSource: "" })).toThrow(
      /attaches only within its zone[\s\S]*TPU attaches an existing disk by path/,
    );
  });
});
