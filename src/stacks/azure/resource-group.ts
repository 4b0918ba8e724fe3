// The pool's resource group: the one the user named in ~/.dstack/config.yml (then it exists and is not
// ours to create or delete), else one created for the pool.
import type * as pulumi from "@pulumi/pulumi";
import * as resources from "@pulumi/azure-native/resources/index.js";
import type { PoolSpec } from "../pool-spec.js";
import { azureName } from "./names.js";
import { poolTags } from "./scope.js";

export function poolResourceGroup(spec: PoolSpec, opts: pulumi.CustomResourceOptions): pulumi.Input<string> {
  if (spec.network.resource_group !== undefined) return spec.network.resource_group;
  const group = new resources.ResourceGroup(
    `${spec.pool}-rg`,
    { resourceGroupName: azureName(spec), location: spec.region, tags: poolTags(spec) },
    {
      ...opts,
      // Azure deletes a resource group together with everything in it, retained disks included. While
      // the pool creates volumes, its group must outlive the pool, or a pool teardown would delete them.
      retainOnDelete: createsVolumes(spec),
    },
  );
  return group.name;
}

export function createsVolumes(spec: PoolSpec): boolean {
  return spec.volumes.some((v) => v.volume_id === null);
}
