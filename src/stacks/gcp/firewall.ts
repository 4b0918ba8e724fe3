// One ingress rule per pool: SSH plus the runs' declared ports, open to the world, for the pool's
// instances only (by network tag). Instances refer to the tag, not to the rule, so a new port updates
// this rule in place and never touches an instance. GCP firewall rules take no labels: the rule's name
// (dstack-<project>-<pool>-ingress) and description carry what labels carry elsewhere.
import { Firewall } from "@pulumi/gcp/compute/firewall.js";
import type { GcpPoolContext } from "./context.js";
import { SSH_PORT } from "./instance-output.js";
import { gcpName, networkTag } from "./naming.js";

export function poolFirewall(ctx: GcpPoolContext): Firewall {
  const { spec, scope } = ctx;
  const ports = [...new Set([SSH_PORT, ...spec.ports])].sort((a, b) => a - b).map(String);
  return new Firewall(
    `${spec.pool}-ingress`,
    {
      name: gcpName(scope, "ingress"),
      description: `dstack-managed=true dstack-project=${spec.project} dstack-pool=${spec.pool}`,
      network: spec.network.vpc ?? "default",
      direction: "INGRESS",
      allows: [{ protocol: "tcp", ports }],
      sourceRanges: ["0.0.0.0/0"],
      targetTags: [networkTag(scope)],
    },
    ctx.opts,
  );
}
