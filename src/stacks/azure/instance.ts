// One instance of the pool: a static public IP, a NIC on the pool's subnet, and the VM. The IP and NIC
// are resources of their own (not the VM's inline network configurations) so their addresses are plain
// outputs; both carry deleteOption Delete, so when Azure deletes a VM itself (spot eviction) it takes
// them along and leaves nothing billed behind.
import * as compute from "@pulumi/azure-native/compute/index.js";
import * as network from "@pulumi/azure-native/network/index.js";
import type * as pulumi from "@pulumi/pulumi";
import type { BuildContext } from "../backend.js";
import { instanceKeys, type PoolInstanceSpec, type PoolOutputs, type PoolSpec } from "../pool-spec.js";
import { azureCustomData } from "./custom-data.js";
import { azureName } from "./names.js";
import { placed, type PoolScope } from "./scope.js";
import { SSH_PORT } from "./security-rules.js";
import { armZones } from "./zones.js";
import { osProfile, pricing, reservation, storageProfile } from "./vm-profiles.js";

export type InstanceOutput = PoolOutputs["instances"][number];
/** An instance's outputs field by field; the pool unwraps them all at once. */
export type InstanceOutputInputs = { [K in keyof InstanceOutput]: pulumi.Input<InstanceOutput[K]> };

/** User data authorizes the keys for root; Azure's admin user is only there because the API wants one. */
export const SSH_USER = "root";

export interface InstanceParts {
  vm: compute.VirtualMachine;
  publicIp: network.PublicIPAddress;
  nic: network.NetworkInterface;
}

export function poolInstance(
  scope: PoolScope,
  ctx: BuildContext,
  instance: PoolInstanceSpec,
  subnetId: pulumi.Input<string>,
  volumeDiskIds: ReadonlyMap<string, pulumi.Input<string>>,
): InstanceParts {
  const { spec, opts } = scope;
  const owned = placed(scope, { instance: instance.name });
  const name = azureName(spec, instance.name);
  const zones = armZones(instance.zone);
  const logical = `${spec.pool}-${instance.name}`;

  const publicIp = new network.PublicIPAddress(
    `${logical}-ip`,
    {
      ...owned,
      ...zones,
      publicIpAddressName: azureName(spec, `${instance.name}-ip`),
      // Standard (Basic is retired) and Static: the address is known once created, before the VM boots.
      sku: { name: "Standard" },
      publicIPAllocationMethod: "Static",
      deleteOption: "Delete",
    },
    opts,
  );
  const nic = new network.NetworkInterface(
    `${logical}-nic`,
    {
      ...owned,
      networkInterfaceName: azureName(spec, `${instance.name}-nic`),
      ipConfigurations: [
        { name: "primary", primary: true, subnet: { id: subnetId }, publicIPAddress: { id: publicIp.id } },
      ],
    },
    opts,
  );
  const vm = new compute.VirtualMachine(
    `${logical}-vm`,
    {
      ...owned,
      ...zones,
      vmName: name,
      hardwareProfile: { vmSize: instance.instance_type },
      storageProfile: storageProfile(azureName(spec, `${instance.name}-os`), instance, volumeDiskIds),
      osProfile: osProfile(
        name,
        instanceKeys(spec, instance),
        azureCustomData(ctx, instance.name, instanceKeys(spec, instance), instance.idle_duration_s ?? null),
      ),
      networkProfile: { networkInterfaces: [{ id: nic.id, primary: true, deleteOption: "Delete" }] },
      ...pricing(instance),
      ...reservation(instance),
      ...registryIdentity(spec),
    },
    opts,
  );
  return { vm, publicIp, nic };
}

/**
 * The registry's managed identity, when the pool has one: the VM gets AcrPush tokens from the instance
 * metadata service, nothing in custom data. Absent: no identity block, exactly as before registries.
 */
export function registryIdentity(spec: PoolSpec): Pick<compute.VirtualMachineArgs, "identity"> {
  const id = spec.registry?.azure_identity_id;
  return id === undefined ? {} : { identity: { type: "UserAssigned", userAssignedIdentities: [id] } };
}

export function instanceOutput(instance: PoolInstanceSpec, parts: InstanceParts): InstanceOutputInputs {
  return {
    name: instance.name,
    id: parts.vm.id,
    // The zone Azure reports for the VM; a regional VM has none: "".
    zone: parts.vm.zones.apply((z) => z?.[0] ?? instance.zone ?? ""),
    public_ip: parts.publicIp.ipAddress.apply((ip) => ip ?? ""),
    private_ip: parts.nic.ipConfigurations.apply((c) => c?.[0]?.privateIPAddress ?? ""),
    ssh_user: SSH_USER,
    ssh_port: SSH_PORT,
    spot: instance.spot,
  };
}
