// Naming and tagging of every cloud resource, in one place: each resource of a pool carries
// dstack-managed, dstack-project, dstack-pool and (for per-instance resources) dstack-instance, so a
// team can find, bill and clean up what dstack made from the cloud console alone.

export interface TagScope {
  project: string;
  pool: string;
  /** Set for resources that belong to one instance (the VM, its NIC, its disks). */
  instance?: string;
  /** Set for a volume's resources. */
  volume?: string;
}

export const MANAGED_TAG = "dstack-managed";

/** AWS tags and Azure tags (free-form values). */
export function cloudTags(scope: TagScope): Record<string, string> {
  const tags: Record<string, string> = {
    [MANAGED_TAG]: "true",
    "dstack-project": scope.project,
    "dstack-pool": scope.pool,
  };
  if (scope.instance !== undefined) tags["dstack-instance"] = scope.instance;
  if (scope.volume !== undefined) tags["dstack-volume"] = scope.volume;
  return tags;
}

/**
 * Tags of a project's container registry (issue 14): it belongs to the project, not to a pool, so it
 * carries `dstack-registry` where pool resources carry `dstack-pool`.
 */
export function registryTags(project: string): Record<string, string> {
  return { [MANAGED_TAG]: "true", "dstack-project": project, "dstack-registry": "true" };
}

/** GCP labels: lowercase letters, digits, `_` and `-`, at most 63 characters. */
export function gcpLabels(scope: TagScope): Record<string, string> {
  return Object.fromEntries(Object.entries(cloudTags(scope)).map(([k, v]) => [k, gcpLabelValue(v)]));
}

export function gcpLabelValue(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, "-")
    .slice(0, 63);
}

/** A cloud resource name: `dstack-<project>-<pool>[-<suffix>]`, lowercase, safe for every cloud. */
export function resourceName(scope: TagScope, suffix?: string): string {
  const parts = ["dstack", scope.project, scope.pool, ...(suffix === undefined ? [] : [suffix])];
  return parts
    .join("-")
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .replace(/-+/g, "-")
    .slice(0, 63)
    .replace(/-$/, "");
}
