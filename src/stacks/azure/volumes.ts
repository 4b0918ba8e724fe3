// The pool's volumes as managed disks. A volume outlives every instance and the pool itself: it holds
// the user's data, and deleting it is a separate, explicit act. So a disk the pool creates is registered
// with retainOnDelete (Pulumi forgets it on teardown and leaves it in Azure), VMs detach rather than
// delete it, and its resource group is retained too (see resource-group.ts). A volume with a volume_id is
// an existing disk: attached by id, never registered, so no stack can delete it.
import { armZones } from "./zones.js";
import * as compute from "@pulumi/azure-native/compute/index.js";
import type * as pulumi from "@pulumi/pulumi";
import type { PoolVolumeSpec } from "../pool-spec.js";
import { azureName } from "./names.js";
import { placed, type PoolScope } from "./scope.js";

/** Premium SSD: GPU workloads read datasets and checkpoints from volumes; Standard HDD starves them. */
export const VOLUME_SKU = "Premium_LRS";

/** Registers the pool's new disks; returns every volume's disk id by volume name. */
export function poolVolumes(scope: PoolScope): Map<string, pulumi.Input<string>> {
  return new Map(scope.spec.volumes.map((volume) => [volume.name, volumeDiskId(scope, volume)]));
}

function volumeDiskId(scope: PoolScope, volume: PoolVolumeSpec): pulumi.Input<string> {
  if (volume.volume_id !== null) return volume.volume_id;
  return volumeDisk(scope, volume, { retain: true }).id;
}

/**
 * A new managed disk for the volume. `retain` (a pool's disks): the pool's teardown forgets it. A
 * volume's own stack (`dstack apply` of a volume) passes false: `dstack volume delete` deletes it.
 */
export function volumeDisk(
  scope: PoolScope,
  volume: PoolVolumeSpec,
  { retain }: { retain: boolean },
): compute.Disk {
  return new compute.Disk(
    `${scope.spec.pool}-${volume.name}-disk`,
    {
      ...placed(scope, { volume: volume.name }),
      diskName: azureName(scope.spec, volume.name),
      diskSizeGB: volume.size_gb,
      creationData: { createOption: "Empty" },
      sku: { name: VOLUME_SKU },
      ...armZones(volume.zone),
    },
    { ...scope.opts, retainOnDelete: retain },
  );
}
