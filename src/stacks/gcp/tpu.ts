// One Cloud TPU VM of the pool (single host: the accelerator type names the slice, e.g. v5litepod-8).
// A TPU VM is its own resource (tpu.V2Vm), not a Compute Engine instance: it has no machine type, no
// choosable boot image or boot disk size (a 100 GB disk with the TPU runtime), and GCP refuses to
// attach disks to it while it is being created, so volumes go in as dataDisks at creation. Those are
// attachments as well: deleting the TPU VM leaves the disks.
import * as pulumi from "@pulumi/pulumi";
import { V2Vm } from "@pulumi/gcp/tpu/v2vm.js";
import type { PoolInstanceSpec } from "../pool-spec.js";
import { gcpLabels } from "../tags.js";
import type { GcpPoolContext } from "./context.js";
import { type InstanceOutput, SSH_PORT, SSH_USER } from "./instance-output.js";
import { gcpName, networkTag, zoneOf } from "./naming.js";
import { networkAttachment } from "./network.js";
import { tpuSchedulingConfig } from "./scheduling.js";
import { withServiceAccount } from "./service-account.js";
import type { PoolVolume } from "./volumes.js";

/**
 * The TPU software version per generation: v5e and v6e have their own runtimes; the others (v2, v3,
 * v4, v5p) boot the generic Ubuntu 22.04 TPU runtime. The workload's framework comes with its container.
 */
export function tpuRuntimeVersion(acceleratorType: string): string {
  if (acceleratorType.startsWith("v6e-")) return "v2-alpha-tpuv6e";
  if (acceleratorType.startsWith("v5litepod-")) return "v2-alpha-tpuv5-lite";
  return "tpu-ubuntu2204-base";
}

export function tpuInstance(
  ctx: GcpPoolContext,
  instance: PoolInstanceSpec,
  volumes: ReadonlyMap<string, PoolVolume>,
  /** The instance's metadata (user data, keys), built before any resource is registered. */
  metadata: Record<string, string>,
): pulumi.Output<InstanceOutput> {
  const { spec } = ctx;
  const acceleratorType = instance.accelerator?.type;
  if (acceleratorType === undefined)
    throw new Error(`bug: TPU ${instance.name} without accelerator passed validation`);
  const dataDisks = instance.volumes.map((name) => {
    const sourceDisk = volumes.get(name)?.tpuSourceDisk;
    if (sourceDisk === undefined || sourceDisk === null)
      throw new Error(`bug: volume ${name} of TPU ${instance.name} passed validation`);
    return { sourceDisk, mode: "READ_WRITE" };
  });
  const vm = new V2Vm(
    `${spec.pool}-${instance.name}`,
    {
      name: gcpName(ctx.scope, instance.name),
      zone: zoneOf(spec.region, instance.zone),
      acceleratorType,
      runtimeVersion: tpuRuntimeVersion(acceleratorType),
      schedulingConfig: tpuSchedulingConfig(instance),
      networkConfig: { ...networkAttachment(spec), enableExternalIps: true },
      dataDisks: dataDisks.length > 0 ? dataDisks : undefined,
      metadata,
      tags: [networkTag(ctx.scope)],
      labels: gcpLabels({ ...ctx.scope, instance: instance.name }),
      ...withServiceAccount(spec),
    },
    ctx.opts,
  );
  return pulumi.all([vm.id, vm.zone, vm.networkEndpoints]).apply(([id, zone, endpoints]) => ({
    name: instance.name,
    id,
    zone,
    public_ip: endpoints[0]?.accessConfigs[0]?.externalIp ?? "",
    private_ip: endpoints[0]?.ipAddress ?? "",
    ssh_user: SSH_USER,
    ssh_port: SSH_PORT,
    spot: instance.spot,
  }));
}
