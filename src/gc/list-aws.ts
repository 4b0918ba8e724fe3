// AWS's part of the listing program: in one region, every instance (not yet terminated), EBS volume
// and security group tagged dstack-managed=true, each described by its own lookup (the list calls
// return ids only). A volume counts only with a dstack-volume tag: an instance's root disk carries
// dstack-instance instead, and goes with its instance.
import type * as AwsModule from "@pulumi/aws";
import { MANAGED_TAG } from "../stacks/tags.js";
import { type FoundResource } from "./found.js";

type Aws = typeof AwsModule;

const LIVE_STATES = ["pending", "running", "stopping", "stopped"];

export async function listAws(aws: Aws, region: string): Promise<FoundResource[]> {
  const provider = new aws.Provider(`aws-${region}`, { region });
  const opts = { provider };
  const tags = { [MANAGED_TAG]: "true" };
  const base = { cloud: "aws" as const, scope: region };
  const [instances, volumes, groups] = await Promise.all([
    aws.ec2.getInstances({ instanceTags: tags, instanceStateNames: LIVE_STATES }, opts),
    aws.ebs.getEbsVolumes({ tags }, opts),
    aws.ec2.getSecurityGroups({ tags }, opts),
  ]);
  const found = await Promise.all([
    ...instances.ids.map(async (id): Promise<FoundResource> => {
      const i = await aws.ec2.getInstance({ instanceId: id }, opts);
      return {
        ...base,
        location: i.availabilityZone,
        kind: "instance",
        type: "aws:ec2/instance:Instance",
        id,
        name: i.tags.Name ?? "",
        tags: i.tags,
        created: i.launchTime === "" ? null : i.launchTime,
      };
    }),
    ...volumes.ids.map(async (id): Promise<FoundResource | undefined> => {
      const v = await aws.ebs.getVolume({ filters: [{ name: "volume-id", values: [id] }] }, opts);
      if (v.tags["dstack-volume"] === undefined) return undefined;
      return {
        ...base,
        location: v.availabilityZone,
        kind: "volume",
        type: "aws:ebs/volume:Volume",
        id,
        name: v.tags.Name ?? "",
        tags: v.tags,
        created: v.createTime === "" ? null : v.createTime,
      };
    }),
    ...groups.ids.map(async (id): Promise<FoundResource> => {
      const g = await aws.ec2.getSecurityGroup({ id }, opts);
      return {
        ...base,
        location: region,
        kind: "security-group",
        type: "aws:ec2/securityGroup:SecurityGroup",
        id,
        name: g.name,
        tags: g.tags,
        created: null,
      };
    }),
  ]);
  return found.filter((r): r is FoundResource => r !== undefined);
}
