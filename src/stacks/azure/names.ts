// Azure names of the pool's resources: `dstack-<project>-<pool>[-<suffix>]` through the one naming rule
// (tags.ts), unique per pool so several pools can share a resource group. That rule truncates to 63
// characters; two long instance names could then map to one Azure name, and two Pulumi resources would
// silently manage the same VM. Checked up front instead.
import { UserError } from "../../errors.js";
import type { PoolSpec } from "../pool-spec.js";
import { resourceName } from "../tags.js";

export function azureName(spec: PoolSpec, suffix?: string): string {
  return resourceName({ project: spec.project, pool: spec.pool }, suffix);
}

/** The per-instance and per-volume suffixes; the pool-wide ones (vnet, nsg, subnet) are fixed. */
const INSTANCE_SUFFIXES = ["", "-ip", "-nic", "-os"];

export function checkDistinctNames(spec: PoolSpec): void {
  const owners = new Map<string, string>();
  const claim = (azure: string, owner: string): void => {
    const other = owners.get(azure);
    if (other !== undefined && other !== owner)
      throw new UserError(
        "azure-name-clash",
        `${other} and ${owner} get the same Azure name ${azure} (names are cut at 63 characters)`,
        "use shorter project, pool, instance or volume names",
      );
    owners.set(azure, owner);
  };
  for (const instance of spec.instances)
    for (const suffix of INSTANCE_SUFFIXES)
      claim(azureName(spec, `${instance.name}${suffix}`), `instance ${instance.name}`);
  // Disks (volumes and OS disks) share one namespace; VMs, IPs and NICs each have their own, but one
  // check over all of them is simpler and stricter.
  for (const volume of spec.volumes) claim(azureName(spec, volume.name), `volume ${volume.name}`);
}
