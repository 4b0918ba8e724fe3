// One EC2 instance of the pool. AWS changes type, root disk size, security groups, tags and user data in
// place (stopping the instance where it must); AMI, subnet, market options and key name replace it, so
// none of those may drift between two runs of the same spec (see the AMI and key name below).
import * as ec2 from "@pulumi/aws/ec2/index.js";
import type * as pulumi from "@pulumi/pulumi";
import type { BuildContext } from "../backend.js";
import type { PoolInstanceSpec } from "../pool-spec.js";
import { awsTags, type AwsPoolContext } from "./context.js";
import { AwsImages } from "./image.js";
import type { AwsNetwork } from "./network.js";
import { awsUserData } from "./user-data.js";

/** An instance of the spec and the EC2 instance made for it. */
export interface PoolInstance {
  spec: PoolInstanceSpec;
  resource: ec2.Instance;
}

export interface InstanceDeps {
  network: AwsNetwork;
  images: AwsImages;
  securityGroup: ec2.SecurityGroup;
  keyPair: { resource: ec2.KeyPair; keyName: string } | undefined;
  build: BuildContext;
}

/** EC2 takes the spot price cap as a decimal string; five decimals is finer than any spot price. */
export function spotMaxPrice(price: number): string {
  return String(Number(price.toFixed(5)));
}

/**
 * Spot through the instance's own market options (no separate spot request resource), one-time and
 * terminated on interruption: dstack's retry policy, not EC2, decides what happens next.
 */
export function marketOptions(instance: PoolInstanceSpec): ec2.InstanceArgs["instanceMarketOptions"] {
  if (!instance.spot) return undefined;
  return {
    marketType: "spot",
    spotOptions: {
      // Absent = capped at the on-demand price, which is what max_price null means.
      ...(instance.max_price === null ? {} : { maxPrice: spotMaxPrice(instance.max_price) }),
      spotInstanceType: "one-time",
      instanceInterruptionBehavior: "terminate",
    },
  };
}

export function capacityReservation(
  instance: PoolInstanceSpec,
): ec2.InstanceArgs["capacityReservationSpecification"] {
  if (instance.reservation === null) return undefined;
  return { capacityReservationTarget: { capacityReservationId: instance.reservation } };
}

export function poolInstance(
  ctx: AwsPoolContext,
  deps: InstanceDeps,
  instance: PoolInstanceSpec,
  index: number,
): ec2.Instance {
  const { spec } = ctx;
  const tags = awsTags(spec, { instance });
  const dependsOn: pulumi.Resource[] = deps.keyPair === undefined ? [] : [deps.keyPair.resource];
  return new ec2.Instance(
    instance.name,
    {
      instanceType: instance.instance_type,
      ami: deps.images.ami(instance),
      subnetId: deps.network.subnetId(index, instance.zone),
      vpcSecurityGroupIds: [deps.securityGroup.id],
      // A public address for SSH even in a configured subnet that does not hand one out by default.
      associatePublicIpAddress: true,
      // The plain name (not the key pair's output) plus dependsOn: a replaced key pair keeps this name,
      // and an unknown output here would show every instance as replaced in a preview.
      keyName: deps.keyPair?.keyName,
      userDataBase64: awsUserData(spec, instance, deps.build),
      // New user data must run: cloud-init reads it on first boot only, so a change replaces the VM.
      userDataReplaceOnChange: true,
      // A power-off from inside the VM terminates it (root disk deleted with it, attached volumes kept):
      // the agent's idle backstop needs no AWS credentials to stop the bill (runtime-agent/self-stop.ts).
      instanceInitiatedShutdownBehavior: "terminate",
      rootBlockDevice: {
        volumeSize: instance.disk_gb,
        volumeType: "gp3",
        deleteOnTermination: true,
        tags,
      },
      // The registry's instance profile, when the pool has one: pull/push rights from the metadata service.
      ...(spec.registry?.aws_instance_profile === undefined
        ? {}
        : { iamInstanceProfile: spec.registry.aws_instance_profile }),
      instanceMarketOptions: marketOptions(instance),
      capacityReservationSpecification: capacityReservation(instance),
      tags,
    },
    {
      ...ctx.resourceOpts,
      dependsOn,
      // A looked-up AMI moves on with every DLAMI release; following it would replace running
      // instances on an unrelated `up`. New instances get the newest; existing ones keep theirs.
      ...(AwsImages.isLookedUp(instance) ? { ignoreChanges: ["ami"] } : {}),
    },
  );
}
