// The parts of a VM's arguments that follow from the instance spec alone, as plain data: pricing (spot
// or on-demand, reservation), disks, and the OS profile. Kept apart from resource registration so the
// rules read in one place.
import type * as compute from "@pulumi/azure-native/compute/index.js";
import type * as pulumi from "@pulumi/pulumi";
import type * as inputs from "@pulumi/azure-native/types/input.js";
import { UserError } from "../../errors.js";
import type { PoolInstanceSpec } from "../pool-spec.js";
import { imageReference } from "./image.js";

/** Azure's login user, required by the API; dstack itself logs in as root (see user data). */
export const ADMIN_USER = "dstack";
export const OS_DISK_SKU = "Premium_LRS";
/** billingProfile.maxPrice meaning "up to the on-demand price": never evicted for price. */
export const UP_TO_ON_DEMAND = -1;

type Pricing = Pick<compute.VirtualMachineArgs, "priority" | "evictionPolicy" | "billingProfile">;

export function pricing(instance: Pick<PoolInstanceSpec, "spot" | "max_price">): Pricing {
  if (!instance.spot) return { priority: "Regular" };
  return {
    priority: "Spot",
    // Delete, not Deallocate: a deallocated spot VM keeps billing its disks and IP while dstack already
    // treats the interruption as the instance being gone (retry on `interruption`). No forgotten bills.
    evictionPolicy: "Delete",
    billingProfile: { maxPrice: instance.max_price ?? UP_TO_ON_DEMAND },
  };
}

export function reservation(
  instance: Pick<PoolInstanceSpec, "reservation">,
): Pick<compute.VirtualMachineArgs, "capacityReservation"> {
  // Azure's reservation is a capacity reservation group; the VM names the group, Azure picks the slot.
  if (instance.reservation === null) return {};
  return { capacityReservation: { capacityReservationGroup: { id: instance.reservation } } };
}

export function storageProfile(
  osDiskName: string,
  instance: Pick<PoolInstanceSpec, "name" | "image" | "gpu_count" | "gpu_vendor" | "disk_gb" | "volumes">,
  volumeDiskIds: ReadonlyMap<string, pulumi.Input<string>>,
): inputs.compute.StorageProfileArgs {
  return {
    imageReference: imageReference(instance),
    // The OS disk belongs to the VM: deleted with it, so a terminated instance leaves no disk to pay for.
    osDisk: {
      name: osDiskName,
      createOption: "FromImage",
      diskSizeGB: instance.disk_gb,
      deleteOption: "Delete",
      managedDisk: { storageAccountType: OS_DISK_SKU },
    },
    // Volumes are only attached: Detach on VM deletion (a spot eviction included) keeps the data.
    dataDisks: instance.volumes.map((volume, lun) => {
      const id = volumeDiskIds.get(volume);
      if (id === undefined) throw new Error(`instance ${instance.name} mounts unknown volume ${volume}`);
      return { lun, createOption: "Attach", managedDisk: { id }, deleteOption: "Detach" };
    }),
  };
}

export function osProfile(
  computerName: string,
  keys: readonly string[],
  customData: string,
): inputs.compute.OSProfileArgs {
  // Azure refuses a Linux VM with password login disabled and no key; say so before it does.
  if (keys.length === 0)
    throw new UserError("azure-ssh-key", "an Azure instance needs at least one SSH public key");
  return {
    computerName,
    adminUsername: ADMIN_USER,
    customData,
    linuxConfiguration: {
      disablePasswordAuthentication: true,
      ssh: {
        publicKeys: keys.map((keyData) => ({ path: `/home/${ADMIN_USER}/.ssh/authorized_keys`, keyData })),
      },
    },
  };
}
