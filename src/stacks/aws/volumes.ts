// Network volumes: an EBS volume per spec volume (or an existing one by id) and an attachment per
// (instance, volume). A volume holds the user's data and outlives every instance and the pool itself:
// see `retainOnDelete` below.
import * as ebs from "@pulumi/aws/ebs/index.js";
import * as ec2 from "@pulumi/aws/ec2/index.js";
import * as pulumi from "@pulumi/pulumi";
import { UserError } from "../../errors.js";
import { AWS_MAX_VOLUMES, awsDeviceName } from "../guest-devices.js";
import type { PoolVolumeSpec } from "../pool-spec.js";
import { awsTags, type AwsPoolContext } from "./context.js";
import type { PoolInstance } from "./instance.js";
import type { AwsNetwork } from "./network.js";

/** AWS's recommended device names for EBS data volumes on Linux run from /dev/sdf to /dev/sdp. */
export const MAX_VOLUMES = AWS_MAX_VOLUMES;
export const deviceName = awsDeviceName;

export interface PoolVolume {
  name: string;
  id: pulumi.Output<string>;
}

function volumeId(
  ctx: AwsPoolContext,
  network: AwsNetwork,
  instances: readonly PoolInstance[],
  volume: PoolVolumeSpec,
): pulumi.Output<string> {
  if (volume.volume_id !== null) return pulumi.output(volume.volume_id);
  // An EBS volume lives in one AZ and attaches only to instances there: create it where its first
  // instance landed (the AZ name, which only the instance or a lookup knows, the spec having AZ ids).
  const owner = instances.find((instance) => instance.spec.volumes.includes(volume.name));
  const availabilityZone = owner?.resource.availabilityZone ?? network.availabilityZone(volume.zone);
  return ebsVolume(ctx, volume, availabilityZone, { retain: true }).id;
}

/**
 * The EBS volume of a spec volume. A pool's volume is retained (`retain: true`): destroying the pool, or
 * dropping the volume or its instances from the spec, must never delete the user's data, so Pulumi
 * forgets it instead and it stays in EC2, tagged, for the next pool (by volume_id) or for a deliberate
 * `aws ec2 delete-volume`. A volume's own stack (`dstack apply` of a volume) is the one place that does
 * delete it, on `dstack volume delete`: there it is not retained.
 */
export function ebsVolume(
  ctx: AwsPoolContext,
  volume: PoolVolumeSpec,
  availabilityZone: pulumi.Input<string>,
  { retain }: { retain: boolean },
): ebs.Volume {
  return new ebs.Volume(
    volume.name,
    { availabilityZone, size: volume.size_gb, type: "gp3", tags: awsTags(ctx.spec, { volume }) },
    {
      ...ctx.resourceOpts,
      retainOnDelete: retain,
      // A volume cannot move. Should its instance come back in another AZ, recreating the volume there
      // would quietly swap the user's data for an empty disk; keeping it makes the attachment fail
      // loudly instead.
      ignoreChanges: ["availabilityZone"],
    },
  );
}

function attach(
  ctx: AwsPoolContext,
  { spec: instance, resource }: PoolInstance,
  ids: ReadonlyMap<string, pulumi.Output<string>>,
): void {
  if (instance.volumes.length > MAX_VOLUMES)
    throw new UserError(
      "aws-too-many-volumes",
      `${instance.name} attaches ${instance.volumes.length} volumes; at most ${MAX_VOLUMES} are supported`,
    );
  instance.volumes.forEach((name, n) => {
    const volumeId = ids.get(name);
    if (volumeId === undefined)
      throw new UserError("pool-spec-invalid", `${instance.name} attaches ${name}, which is not in the pool`);
    new ec2.VolumeAttachment(
      `${instance.name}-${name}`,
      {
        instanceId: resource.id,
        volumeId,
        deviceName: deviceName(n),
        // Detach from a stopped instance, so no write is in flight when the volume lets go.
        stopInstanceBeforeDetaching: true,
      },
      ctx.resourceOpts,
    );
  });
}

/** Creates (or takes) every volume of the pool and attaches each where the spec says. */
export function poolVolumes(
  ctx: AwsPoolContext,
  network: AwsNetwork,
  instances: readonly PoolInstance[],
): PoolVolume[] {
  const volumes = ctx.spec.volumes.map((volume) => ({
    name: volume.name,
    id: volumeId(ctx, network, instances, volume),
  }));
  const ids = new Map(volumes.map((volume) => [volume.name, volume.id]));
  for (const instance of instances) attach(ctx, instance, ids);
  return volumes;
}
