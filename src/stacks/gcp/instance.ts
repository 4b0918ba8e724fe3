// One Compute Engine VM of the pool, and the attachments of its volumes.
import * as pulumi from "@pulumi/pulumi";
import { AttachedDisk } from "@pulumi/gcp/compute/attachedDisk.js";
import { Instance } from "@pulumi/gcp/compute/instance.js";
import type { PoolInstanceSpec } from "../pool-spec.js";
import { gcpLabels } from "../tags.js";
import type { GcpPoolContext } from "./context.js";
import { type InstanceOutput, SSH_PORT, SSH_USER } from "./instance-output.js";
import { bootImage, guestAccelerators } from "./machine.js";
import { deviceName, gcpName, networkTag, zoneOf } from "./naming.js";
import { networkAttachment } from "./network.js";
import { instanceScheduling, reservationAffinity } from "./scheduling.js";
import { withServiceAccount } from "./service-account.js";
import { DISK_TYPE, type PoolVolume } from "./volumes.js";

export function computeInstance(
  ctx: GcpPoolContext,
  instance: PoolInstanceSpec,
  volumes: ReadonlyMap<string, PoolVolume>,
  /** The instance's metadata (user data, keys), built before any resource is registered. */
  metadata: Record<string, string>,
): pulumi.Output<InstanceOutput> {
  const { spec } = ctx;
  const labels = gcpLabels({ ...ctx.scope, instance: instance.name });
  const zone = zoneOf(spec.region, instance.zone);
  const accelerators = guestAccelerators(instance);
  const vm = new Instance(
    `${spec.pool}-${instance.name}`,
    {
      name: gcpName(ctx.scope, instance.name),
      machineType: instance.instance_type,
      // A machine type change needs a stop/start; without this the provider refuses it.
      allowStoppingForUpdate: true,
      zone,
      bootDisk: {
        // The boot disk is the instance's own: it goes with it. Volumes are separate disks.
        autoDelete: true,
        initializeParams: { image: bootImage(instance), size: instance.disk_gb, type: DISK_TYPE, labels },
      },
      guestAccelerators: accelerators.length > 0 ? accelerators : undefined,
      scheduling: instanceScheduling(instance),
      reservationAffinity: reservationAffinity(instance),
      metadata,
      // An empty access config asks for an ephemeral public IP: dstack reaches the instance over SSH.
      networkInterfaces: [{ ...networkAttachment(spec), accessConfigs: [{}] }],
      tags: [networkTag(ctx.scope)],
      labels,
      ...withServiceAccount(spec),
    },
    // Disks attached by AttachedDisk show up in the instance's attachedDisks on refresh; without this
    // the next update would detach them again (the provider's documented pairing of the two).
    { ...ctx.opts, ignoreChanges: ["attachedDisks"] },
  );
  const attachments = instance.volumes.map((name) => {
    const volume = volumes.get(name);
    if (volume === undefined) throw new Error(`bug: volume ${name} of ${instance.name} passed validation`);
    return new AttachedDisk(
      `${spec.pool}-${instance.name}-${name}`,
      {
        disk: volume.attachSource,
        instance: vm.selfLink,
        zone,
        deviceName: deviceName(name),
        mode: "READ_WRITE",
      },
      ctx.opts,
    );
  });
  // Ready means attached too: the outputs resolve only once every volume is attached.
  return pulumi
    .all([vm.id, vm.zone, vm.networkInterfaces, pulumi.all(attachments.map((a) => a.id))])
    .apply(([id, actualZone, nics]) => ({
      name: instance.name,
      id,
      zone: actualZone,
      public_ip: nics[0]?.accessConfigs?.[0]?.natIp ?? "",
      private_ip: nics[0]?.networkIp ?? "",
      ssh_user: SSH_USER,
      ssh_port: SSH_PORT,
      spot: instance.spot,
    }));
}
