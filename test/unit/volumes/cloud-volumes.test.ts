// Cloud volumes (issue 13): the zone a volume is created in, where a run that mounts recorded cloud
// volumes goes (its offers narrowed to the volumes' backend, region and zone; refusals when volumes
// are apart or of unknown zone), what its pool stack attaches, the guest devices the job spec names,
// and a configuration without a zone matching the zone its volume was created in.
import { describe, expect, it } from "vitest";
import type { MatchedOffer } from "../../../src/catalog/offer.js";
import { compile } from "../../../src/compiler/compile.js";
import type { VolumeSpec } from "../../../src/compiler/spec.js";
import { UserError } from "../../../src/errors.js";
import { cloudPoolSpec } from "../../../src/pools/cloud/cloud-pool.js";
import type { PoolInstance } from "../../../src/pools/pool-store.js";
import { guestDevices } from "../../../src/stacks/guest-devices.js";
import { isZoneName } from "../../../src/stacks/aws/zones.js";
import { noPlacedOffer, placedOffers, runPlacement } from "../../../src/volumes/run-placement.js";
import { volumeDevices } from "../../../src/volumes/run-volumes.js";
import { settingsDiff, settingsOf } from "../../../src/volumes/settings.js";
import type { VolumeRecord } from "../../../src/volumes/store.js";
import { volumeZone, zoneNote } from "../../../src/volumes/volume-zone.js";

function volumeOf(text: string): VolumeSpec {
  const result = compile({ file: "v.dstack.yml", text });
  if (result.spec === null) throw new Error(result.diagnostics.map((d) => d.message).join("; "));
  return result.spec as VolumeSpec;
}

function record(over: Partial<VolumeRecord>): VolumeRecord {
  return {
    name: "data",
    backend: "aws",
    region: "us-east-1",
    availability_zone: "us-east-1a",
    size_gb: 100,
    volume_id: "vol-0aaa",
    registered: false,
    status: "active",
    stack: { project: "dstack", stack: "volume-data", backend_url: "file:///x" },
    config_file: "data.dstack.yml",
    created_at: "2026-01-01T00:00:00.000Z",
    ...over,
  };
}

function offer(over: Partial<MatchedOffer>): MatchedOffer {
  return {
    backend: "aws",
    region: "us-east-1",
    zones: [],
    instance_type: "t3.large",
    instance_id: "t3.large",
    accelerator: null,
    spot: false,
    price: 0.08,
    cpus: 2,
    cpu_arch: "x86",
    memory_gb: 8,
    gpu_vendor: null,
    gpu_name: null,
    gpu_count: 0,
    gpu_memory_gb: 0,
    compute_capability: null,
    gpu_fraction: null,
    local_disk_gb: 0,
    disk_min_gb: 8,
    disk_max_gb: 16384,
    deprecated: false,
    price_estimated: false,
    disk_gb: 100,
    ...over,
  };
}

function refusal(fn: () => unknown): UserError {
  try {
    fn();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("the zone a cloud volume is created in", () => {
  it("is the configured availability_zone, else the region's first zone", () => {
    const none = () => [];
    const aws = volumeOf("type: volume\nname: dd\nbackend: aws\nregion: eu-west-1\nsize: 10GB\n");
    expect(volumeZone(aws, none)).toEqual({ zone: "eu-west-1a", source: "first" });
    const pinned = volumeOf(
      "type: volume\nname: dd\nbackend: aws\nregion: eu-west-1\navailability_zone: eu-west-1c\nsize: 10GB\n",
    );
    expect(volumeZone(pinned, none)).toEqual({ zone: "eu-west-1c", source: "availability_zone" });
    const gcp = volumeOf("type: volume\nname: dd\nbackend: gcp\nregion: us-east1\nsize: 10GB\n");
    // us-east1 has no -a zone: the catalog's first zone wins over the guess.
    expect(volumeZone(gcp, () => ["us-east1-c", "us-east1-b", "us-east1-c"]).zone).toBe("us-east1-b");
    expect(volumeZone(gcp, none).zone).toBe("us-east1-a");
    const azure = volumeOf("type: volume\nname: dd\nbackend: azure\nregion: eastus\nsize: 10GB\n");
    expect(volumeZone(azure, none).zone).toBe("eastus-1");
  });

  it("is named in the plan, with how to choose another", () => {
    expect(zoneNote("d", { zone: "us-east-1a", source: "first" })).toContain(
      "Zone: us-east-1a, the region's first zone (set availability_zone to choose another)",
    );
    expect(zoneNote("d", { zone: "us-east-1c", source: "availability_zone" })).toContain(
      "Zone: us-east-1c (availability_zone)",
    );
  });

  it("does not make a configuration without one differ from its record", () => {
    const spec = volumeOf("type: volume\nname: data\nbackend: aws\nregion: us-east-1\nsize: 100GB\n");
    const created = record({ ...settingsOf(spec), availability_zone: "us-east-1a", volume_id: "vol-1" });
    expect(settingsDiff(created, spec)).toEqual([]);
    const moved = volumeOf(
      "type: volume\nname: data\nbackend: aws\nregion: us-east-1\navailability_zone: us-east-1b\nsize: 100GB\n",
    );
    expect(settingsDiff(created, moved)).toEqual([
      "availability_zone us-east-1a (the configuration says us-east-1b)",
    ]);
  });

  it("tells AWS zone names from AZ ids", () => {
    expect(isZoneName("us-east-1", "us-east-1a")).toBe(true);
    expect(isZoneName("us-east-1", "use1-az4")).toBe(false);
    expect(isZoneName("us-east-1", "us-east-1")).toBe(false);
  });
});

describe("where a run mounting cloud volumes goes", () => {
  it("is the volumes' backend, region and zone, attaching each by the provider's id", () => {
    const placement = runPlacement([
      record({}),
      record({ name: "ckpt", volume_id: "vol-0bbb", size_gb: null }),
    ]);
    expect(placement).toEqual({
      backend: "aws",
      region: "us-east-1",
      zone: "us-east-1a",
      volumes: [
        { name: "data", size_gb: 100, zone: "us-east-1a", volume_id: "vol-0aaa" },
        { name: "ckpt", size_gb: 0, zone: "us-east-1a", volume_id: "vol-0bbb" },
      ],
    });
    expect(runPlacement([record({ backend: "local", region: "local", availability_zone: null })])).toBe(
      undefined,
    );
  });

  it("refuses volumes in different zones, a local volume beside a cloud one, and an unknown zone", () => {
    const apart = refusal(() =>
      runPlacement([record({}), record({ name: "b", availability_zone: "us-east-1b" })]),
    );
    expect(apart.code).toBe("volumes-apart");
    expect(apart.message).toContain("an instance attaches only volumes of its own zone");
    const mixed = refusal(() =>
      runPlacement([
        record({}),
        record({ name: "l", backend: "local", region: "local", availability_zone: null }),
      ]),
    );
    expect(mixed.message).toContain("no instance can attach both");
    const unknown = refusal(() => runPlacement([record({ registered: true, availability_zone: null })]));
    expect(unknown.code).toBe("volume-zone-unknown");
    expect(unknown.hint).toContain("add availability_zone");
  });

  it("keeps offers of the volumes' region, each narrowed to their zone", () => {
    const placement = runPlacement([record({})])!;
    const offers = [
      offer({ instance_type: "t3.large" }),
      offer({ instance_type: "g5.xlarge", zones: ["use1-az2", "use1-az4"] }),
      offer({ region: "us-west-2", instance_type: "t3.large" }),
      offer({ backend: "gcp", region: "us-central1" }),
    ];
    // AWS offers name AZ ids, which a zone name cannot be compared with: pinned to the volume's zone.
    expect(placedOffers(offers, placement).map((o) => [o.instance_type, o.region, o.zones])).toEqual([
      ["t3.large", "us-east-1", ["us-east-1a"]],
      ["g5.xlarge", "us-east-1", ["us-east-1a"]],
    ]);
    const gcp = runPlacement([
      record({ backend: "gcp", region: "us-central1", availability_zone: "us-central1-b" }),
    ])!;
    const gcpOffers = [
      offer({ backend: "gcp", region: "us-central1", instance_type: "a", zones: ["us-central1-a"] }),
      offer({
        backend: "gcp",
        region: "us-central1",
        instance_type: "b",
        zones: ["us-central1-a", "us-central1-b"],
      }),
      offer({ backend: "gcp", region: "us-central1", instance_type: "c", zones: [] }),
    ];
    expect(placedOffers(gcpOffers, gcp).map((o) => [o.instance_type, o.zones])).toEqual([
      ["b", ["us-central1-b"]],
      ["c", ["us-central1-b"]],
    ]);
  });

  it("says where the volumes are when nothing matches there", () => {
    const error = noPlacedOffer(runPlacement([record({})])!, "2xCPU", 3);
    expect(error.message).toBe(
      "no offer matching 2xCPU is in aws us-east-1 (us-east-1a), where volume data is: an instance attaches only volumes of its own zone (3 offers match elsewhere)",
    );
    expect(error.hint).toContain("dstack offer -b aws -r us-east-1");
  });
});

describe("what the run's pool stack attaches and the agent mounts", () => {
  const volumes = [
    { name: "data", size_gb: 100, zone: "us-east-1a", volume_id: "vol-0aaa" },
    { name: "ckpt", size_gb: 10, zone: "us-east-1a", volume_id: "vol-0bbb" },
  ];
  const instance = (name: string, attached: typeof volumes): PoolInstance => ({
    name,
    created_at: "2026-01-01T00:00:00.000Z",
    idle_duration: 300,
    spec: {
      name,
      instance_type: "t3.large",
      accelerator: null,
      tpu: false,
      gpu_vendor: null,
      gpu_count: 0,
      zone: "us-east-1a",
      spot: false,
      max_price: null,
      reservation: null,
      disk_gb: 100,
      image: null,
      volumes: attached.map((v) => v.name),
    },
    ...(attached.length === 0 ? {} : { attached_volumes: attached }),
  });

  it("lists each instance's recorded volumes once, by volume_id, in the pool spec", () => {
    const settings = { network: {}, sshPublicKeys: ["ssh-ed25519 AAAA k"], privateKey: "" };
    const spec = cloudPoolSpec("aws", "us-east-1", settings, [
      instance("aws-a", volumes),
      instance("aws-b", []),
    ]);
    expect(spec.volumes).toEqual(volumes);
    expect(spec.instances.map((i) => i.volumes)).toEqual([["data", "ckpt"], []]);
    expect(cloudPoolSpec("aws", "us-east-1", settings, [instance("aws-b", [])]).volumes).toEqual([]);
  });

  it("names the guest devices of each attached volume, in attachment order", () => {
    const devices = volumeDevices("aws", instance("aws-a", volumes));
    expect(devices("data")).toEqual([
      "/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0aaa",
      "/dev/sdf",
      "/dev/xvdf",
    ]);
    expect(devices("ckpt")?.slice(1)).toEqual(["/dev/sdg", "/dev/xvdg"]);
    expect(devices("other")).toBeUndefined();
    expect(volumeDevices("aws", undefined)("data")).toBeUndefined();
    expect(guestDevices("gcp", "Data_1", 0, null)).toEqual(["/dev/disk/by-id/google-data-1"]);
    expect(guestDevices("azure", "data", 2, "/subscriptions/x")).toEqual(["/dev/disk/azure/scsi1/lun2"]);
  });
});
