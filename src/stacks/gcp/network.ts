// Where a pool's instances attach: the configured subnetwork when there is one (its network follows
// from it, and it must be in the pool's region), else the configured VPC, else the project's "default"
// network, which is what a fresh GCP project has.
import type { PoolSpec } from "../pool-spec.js";

export interface NetworkAttachment {
  network?: string;
  subnetwork?: string;
}

export function networkAttachment(spec: PoolSpec): NetworkAttachment {
  const subnetwork = spec.network.subnets?.[0];
  if (subnetwork === undefined) return { network: spec.network.vpc ?? "default" };
  return spec.network.vpc === undefined ? { subnetwork } : { network: spec.network.vpc, subnetwork };
}
