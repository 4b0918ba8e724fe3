// A volume's own stack on AWS: the provider and one EBS volume (not retained: see volume-builder.ts), in
// the zone the spec names (a name as it is; an AZ id through the default subnet's lookup).
import * as pulumi from "@pulumi/pulumi";
import type { VolumeBuilder, VolumeOutputs } from "../volume-builder.js";
import { ownVolumeOf } from "../volume-builder.js";
import type { PoolSpec } from "../pool-spec.js";
import type { AwsPoolContext } from "./context.js";
import { AwsNetwork } from "./network.js";
import { awsProvider } from "./provider.js";
import { ebsVolume } from "./volumes.js";

export class AwsOwnVolume extends pulumi.ComponentResource {
  readonly outputs: pulumi.Output<VolumeOutputs>;

  constructor(spec: PoolSpec) {
    super("dstack:aws:Volume", spec.pool, {}, {});
    const volume = ownVolumeOf(spec);
    const provider = awsProvider(spec, this);
    const ctx: AwsPoolContext = {
      spec,
      resourceOpts: { parent: this, provider },
      invokeOpts: { parent: this, provider },
    };
    const zone = new AwsNetwork(ctx).availabilityZone(volume.zone);
    const ebs = ebsVolume(ctx, volume, zone, { retain: false });
    this.outputs = pulumi.output({ volume_id: ebs.id, zone: ebs.availabilityZone });
    this.registerOutputs({ outputs: this.outputs });
  }
}

export const awsOwnVolume: VolumeBuilder = (spec) => new AwsOwnVolume(spec).outputs;
