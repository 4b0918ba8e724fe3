// A volume's own stack on GCP: the provider and one persistent disk (not retained: see
// volume-builder.ts) in the spec's zone. Its id for runs is the disk's self link, which AttachedDisk
// takes as it is.
import * as pulumi from "@pulumi/pulumi";
import type { PoolSpec } from "../pool-spec.js";
import { ownVolumeOf, type VolumeBuilder, type VolumeOutputs } from "../volume-builder.js";
import type { GcpPoolContext } from "./context.js";
import { gcpProvider } from "./provider.js";
import { poolVolume } from "./volumes.js";

export class GcpOwnVolume extends pulumi.ComponentResource {
  readonly outputs: pulumi.Output<VolumeOutputs>;

  constructor(spec: PoolSpec) {
    super("dstack:gcp:Volume", spec.pool, {}, {});
    const volume = ownVolumeOf(spec);
    const provider = gcpProvider(spec, this);
    const ctx: GcpPoolContext = {
      spec,
      scope: { project: spec.project, pool: spec.pool },
      opts: { parent: this, provider },
    };
    const disk = poolVolume(ctx, volume, { retain: false });
    this.outputs = pulumi.output({ volume_id: disk.attachSource, zone: disk.zone });
    this.registerOutputs({ outputs: this.outputs });
  }
}

export const gcpOwnVolume: VolumeBuilder = (spec) => new GcpOwnVolume(spec).outputs;
