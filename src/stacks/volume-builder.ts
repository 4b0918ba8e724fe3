// The program of a cloud volume's own stack (`volume-<name>`, made by `dstack apply` of a volume): the
// cloud's provider and the one volume, nothing else (no network, no instances). Unlike a pool's volumes,
// this one is not retained: destroying the stack (`dstack volume delete`) deletes the volume and its
// data, and nothing else ever destroys that stack. Each cloud's builder loads lazily, like the pools'.
import type * as pulumi from "@pulumi/pulumi";
import type { PulumiFn } from "@pulumi/pulumi/automation/index.js";
import type { CloudBackend, PoolSpec } from "./pool-spec.js";

/** What a volume stack exports: the provider's id of the volume and the zone it is in. */
export interface VolumeOutputs {
  /** EBS `vol-…`; GCP the disk's self link; Azure the disk's ARM id. */
  volume_id: string;
  /** AWS the AZ name (`us-east-1a`), GCP the zone, Azure `<location>-<n>`. */
  zone: string;
}

/** A volume spec: a pool spec with no instances and exactly one volume, whose zone is set. */
export type VolumeBuilder = (spec: PoolSpec) => pulumi.Output<VolumeOutputs>;

async function loadVolumeBuilder(backend: CloudBackend): Promise<VolumeBuilder> {
  switch (backend) {
    case "aws":
      return (await import("./aws/own-volume.js")).awsOwnVolume;
    case "gcp":
      return (await import("./gcp/own-volume.js")).gcpOwnVolume;
    case "azure":
      return (await import("./azure/own-volume.js")).azureOwnVolume;
  }
}

export function ownVolumeOf(spec: PoolSpec): PoolSpec["volumes"][number] {
  const [volume] = spec.volumes;
  if (volume === undefined || spec.volumes.length > 1 || spec.instances.length > 0)
    throw new Error(`a volume stack holds exactly one volume and no instances (pool ${spec.pool})`);
  if (volume.zone === null) throw new Error(`volume ${volume.name} has no zone`);
  return volume;
}

export function cloudVolumeProgram(spec: PoolSpec): PulumiFn {
  return async () => {
    ownVolumeOf(spec);
    const build = await loadVolumeBuilder(spec.backend);
    const outputs = build(spec);
    return { volume_id: outputs.apply((o) => o.volume_id), zone: outputs.apply((o) => o.zone) };
  };
}
