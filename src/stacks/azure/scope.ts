// What every Azure resource of one pool shares: where it lives (resource group, location = the pool's
// region), how it is registered (the pool's explicit provider, the pool component as parent) and how it
// is tagged (tags.ts, the one tagging rule). Built once by the pool component and handed to each part, so no part can forget
// a tag or pick up the ambient default provider.
import type * as pulumi from "@pulumi/pulumi";
import type { PoolSpec } from "../pool-spec.js";
import { cloudTags } from "../tags.js";

export interface PoolScope {
  spec: PoolSpec;
  /** The Azure name of the pool's resource group (an output when the pool creates it: ordering). */
  resourceGroupName: pulumi.Input<string>;
  /** parent = the pool component; provider = the pool's azure-native provider. */
  opts: pulumi.CustomResourceOptions;
}

/** Which instance or volume a resource belongs to; neither = the pool's shared network. */
export interface Owner {
  instance?: string;
  volume?: string;
}

export function poolTags(spec: PoolSpec, owner: Owner = {}): Record<string, string> {
  return cloudTags({ project: spec.project, pool: spec.pool, ...owner });
}

/** The arguments every taggable resource of the pool starts from. */
export function placed(
  scope: PoolScope,
  owner: Owner = {},
): { resourceGroupName: pulumi.Input<string>; location: string; tags: Record<string, string> } {
  return {
    resourceGroupName: scope.resourceGroupName,
    // Explicit, not inherited: an existing resource group may sit in another region than the pool, and
    // the provider would otherwise read the group to find a default.
    location: scope.spec.region,
    tags: poolTags(scope.spec, owner),
  };
}
