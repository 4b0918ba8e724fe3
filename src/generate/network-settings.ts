// The network settings of a cloud pool (VPC, subnets, GCP project, Azure subscription and resource group)
// from ~/.dstack/config.yml. Shared by `generate` and the fleets `apply` provisions, so a generated
// project and a provisioned fleet land in the same network.
import { formatDiagnostic } from "../compiler/diagnostics.js";
import { readDstackConfig } from "../doctor/dstack-config.js";
import { UserError } from "../errors.js";
import type { CloudBackend, NetworkSettings } from "../stacks/pool-spec.js";

/** Reads config.yml once; refuses it when it has errors (each with FILE:LINE:COL). */
export function networkSettings(home: string): (backend: CloudBackend) => NetworkSettings {
  const config = readDstackConfig(home);
  const problems = config.diagnostics.filter((d) => d.severity === "error");
  if (problems.length > 0)
    throw new UserError(
      "config-file",
      problems.map((d) => formatDiagnostic(d)).join("\n"),
      `fix ${config.file}; the stack's network settings come from it`,
    );
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
