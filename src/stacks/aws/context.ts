// What every part of an AWS pool shares: the spec, and the options that put each resource under the
// pool's component and on the pool's own provider. Resources and invokes both take the explicit
// provider, so nothing ever falls back to the ambient `aws:region` config or a default provider.
import type * as pulumi from "@pulumi/pulumi";
import type { PoolInstanceSpec, PoolSpec, PoolVolumeSpec } from "../pool-spec.js";
import { cloudTags, resourceName, type TagScope } from "../tags.js";

export interface AwsPoolContext {
  spec: PoolSpec;
  /** Options of every resource: the pool component as parent, the pool's provider. */
  resourceOpts: pulumi.CustomResourceOptions;
  /** Options of every invoke (lookups), so they query the pool's region too. */
  invokeOpts: pulumi.InvokeOutputOptions;
}

export function poolScope(spec: PoolSpec): TagScope {
  return { project: spec.project, pool: spec.pool };
}

/**
 * Tags of one resource: the pool's dstack tags, the instance or volume it belongs to, and `Name`, which
 * the EC2 console shows as the resource's name. The provider's defaultTags carry the pool tags too; they
 * are repeated here so every resource states them itself (the root disk gets no default tags at all).
 * `Name` is `dstack-<project>-<pool>-<suffix>`, the suffix defaulting to the instance's or volume's name.
 */
export function awsTags(
  spec: PoolSpec,
  owner: { instance?: PoolInstanceSpec; volume?: PoolVolumeSpec } = {},
  suffix?: string,
): Record<string, string> {
  const name = owner.instance?.name ?? owner.volume?.name;
  const scope: TagScope = {
    ...poolScope(spec),
    ...(owner.instance === undefined ? {} : { instance: owner.instance.name }),
    ...(owner.volume === undefined ? {} : { volume: owner.volume.name }),
  };
  return { ...cloudTags(scope), Name: resourceName(scope, suffix ?? name) };
}
