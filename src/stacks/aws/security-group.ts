// One security group per pool, opening SSH and the runs' declared ports and nothing else (the agent's
// API is reached through an SSH tunnel, never from outside). Rules are inline, so declaring one more port
// is an in-place update of this group alone; its name and description never depend on the ports, since
// changing either would replace the group and, with it, every instance's network attachment.
import * as ec2 from "@pulumi/aws/ec2/index.js";
import { resourceName } from "../tags.js";
import { awsTags, poolScope, type AwsPoolContext } from "./context.js";
import type { AwsNetwork } from "./network.js";

export const SSH_PORT = 22;
const WORLD = ["0.0.0.0/0"];

/** 22 and the declared ports, once each, sorted so the rule list reads the same on every run. */
export function ingressPorts(ports: readonly number[]): number[] {
  return [...new Set([SSH_PORT, ...ports])].sort((a, b) => a - b);
}

export function poolSecurityGroup(ctx: AwsPoolContext, network: AwsNetwork): ec2.SecurityGroup {
  const { spec } = ctx;
  return new ec2.SecurityGroup(
    `${spec.pool}-sg`,
    {
      name: resourceName(poolScope(spec), "sg"),
      description: `dstack pool ${spec.project}/${spec.pool}`,
      vpcId: network.vpcId,
      ingress: ingressPorts(spec.ports).map((port) => ({
        protocol: "tcp",
        fromPort: port,
        toPort: port,
        cidrBlocks: WORLD,
        description: port === SSH_PORT ? "ssh" : "declared port",
      })),
      egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: WORLD }],
      tags: awsTags(spec, {}, "sg"),
    },
    ctx.resourceOpts,
  );
}
