// The network settings of a cloud pool (VPC, subnets, GCP project, Azure subscription and resource group)
// from ~/.dstack/config.yml. Shared by `generate` and the fleets `apply` provisions, so a generated
// project and a provisioned fleet land in the same network.
import { loadDstackConfig } from "../home/load-config.js";
import type { CloudBackend, NetworkSettings } from "../stacks/pool-spec.js";

/** Reads config.yml once; refuses it when it has errors (loadDstackConfig). */
export function networkSettings(home: string): (backend: CloudBackend) => NetworkSettings {
  const config = loadDstackConfig(home);
  return (backend) => {
    const entry = config.backends.find((b) => b.type === backend);
    const settings: NetworkSettings = {};
    if (entry?.project !== undefined) settings.project = entry.project;
    if (entry?.subscriptionId !== undefined) settings.subscription_id = entry.subscriptionId;
    if (entry?.vpcName !== undefined && backend === "gcp") settings.vpc = entry.vpcName;
    if (entry?.vpcId !== undefined) settings.vpc = entry.vpcId;
    if (entry?.subnetIds !== undefined) settings.subnets = entry.subnetIds;
    if (entry?.resourceGroup !== undefined) settings.resource_group = entry.resourceGroup;
    return settings;
  };
}
