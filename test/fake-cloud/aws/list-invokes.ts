// The lookups that list what exists (what `dstack gc` asks): instances, EBS volumes and security groups
// of the provider's region, by tags and filters, and one of each by id. They read the store, so a
// resource seeded behind the engine's back is found like one a stack created. Shapes are the real
// invokes' (pulumi-aws 7.48.0 `ec2.getInstances`, `ec2.getInstance`, `ebs.getEbsVolumes`,
// `ebs.getVolume`, `ec2.getSecurityGroups`, `ec2.getSecurityGroup`).
import type { Invoke } from "../core/kind.js";
import type { StoredResource } from "../core/store.js";
import { arr, isObject, str, type Json, type JsonObject } from "../core/values.js";
import type { AwsConfig } from "./config.js";
import { matches } from "./filters.js";

const TYPES = {
  instance: "aws:ec2/instance:Instance",
  volume: "aws:ebs/volume:Volume",
  attachment: "aws:ec2/volumeAttachment:VolumeAttachment",
  sg: "aws:ec2/securityGroup:SecurityGroup",
};

type Resources = Readonly<Record<string, StoredResource>>;

/** The region a resource lives in: its ARN's, else its zone's. */
function regionOf(r: StoredResource): string {
  const fromArn = str(r.outputs.arn)?.split(":")[3];
  if (fromArn !== undefined && fromArn !== "") return fromArn;
  return (str(r.outputs.availabilityZone) ?? "").replace(/[a-z]$/, "");
}

function tagsOf(r: StoredResource): Record<string, string> {
  const tags = isObject(r.outputs.tagsAll) ? r.outputs.tagsAll : r.outputs.tags;
  if (!isObject(tags)) return {};
  return Object.fromEntries(
    Object.entries(tags).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : [])),
  );
}

/** Every tag of `wanted` has exactly that value on the resource (the invokes' `tags` arguments). */
function hasTags(wanted: Json | undefined, tags: Record<string, string>): boolean {
  return !isObject(wanted) || Object.entries(wanted).every(([k, v]) => tags[k] === v);
}

function inRegion(resources: Resources, type: string, region: string): StoredResource[] {
  return Object.values(resources)
    .filter((r) => r.type === type && regionOf(r) === region)
    .sort((a, b) => a.serial - b.serial);
}

const state = (r: StoredResource): string => str(r.outputs.instanceState) ?? "running";

function instanceFields(r: StoredResource): Record<string, string> {
  return {
    "instance-id": r.id,
    "instance-state-name": state(r),
    "instance-type": str(r.outputs.instanceType) ?? "",
    "availability-zone": str(r.outputs.availabilityZone) ?? "",
  };
}

function instances(args: JsonObject, region: string, resources: Resources, invoke: string): StoredResource[] {
  const states = (arr(args.instanceStateNames) ?? []).filter((s): s is string => typeof s === "string");
  return inRegion(resources, TYPES.instance, region).filter(
    (r) =>
      (states.length === 0 || states.includes(state(r))) &&
      hasTags(args.instanceTags, tagsOf(r)) &&
      matches(args.filters, instanceFields(r), invoke, tagsOf(r)),
  );
}

/** EBS's status: `in-use` while an attachment names the volume, else `available`. */
function volumeStatus(r: StoredResource, resources: Resources): string {
  const attached = Object.values(resources).some(
    (a) => a.type === TYPES.attachment && a.outputs.volumeId === r.id,
  );
  return attached ? "in-use" : "available";
}

function volumes(args: JsonObject, region: string, resources: Resources, invoke: string): StoredResource[] {
  return inRegion(resources, TYPES.volume, region).filter((r) => {
    const fields = {
      "volume-id": r.id,
      status: volumeStatus(r, resources),
      "availability-zone": str(r.outputs.availabilityZone) ?? "",
      "volume-type": str(r.outputs.type) ?? "gp2",
    };
    return hasTags(args.tags, tagsOf(r)) && matches(args.filters, fields, invoke, tagsOf(r));
  });
}

function groups(args: JsonObject, region: string, resources: Resources, invoke: string): StoredResource[] {
  return inRegion(resources, TYPES.sg, region).filter((r) => {
    const fields = {
      "group-id": r.id,
      "group-name": str(r.outputs.name) ?? "",
      "vpc-id": str(r.outputs.vpcId) ?? "",
    };
    return (
      (args.id === undefined || args.id === r.id) &&
      (args.name === undefined || args.name === r.outputs.name) &&
      (args.vpcId === undefined || args.vpcId === r.outputs.vpcId) &&
      hasTags(args.tags, tagsOf(r)) &&
      matches(args.filters, fields, invoke, tagsOf(r))
    );
  });
}

/** The one match of a singular lookup, with the provider's texts for none and several. */
function single(found: StoredResource[], what: string, plural: string): StoredResource {
  const [first] = found;
  if (first === undefined) throw new Error(`no matching ${what} found`);
  if (found.length > 1)
    throw new Error(
      `multiple ${plural} matched; use additional constraints to reduce matches to a single ${what}`,
    );
  return first;
}

const getInstances: Invoke<AwsConfig> = (args, config, resources) => {
  const found = instances(args, config.region, resources, "getInstances");
  return {
    id: config.region,
    ids: found.map((r) => r.id),
    privateIps: found.map((r) => str(r.outputs.privateIp) ?? ""),
    publicIps: found.map((r) => str(r.outputs.publicIp) ?? ""),
    ipv6Addresses: [],
    instanceTags: isObject(args.instanceTags) ? args.instanceTags : {},
    ...(args.instanceStateNames === undefined ? {} : { instanceStateNames: args.instanceStateNames }),
    ...(args.filters === undefined ? {} : { filters: args.filters }),
    region: config.region,
  };
};

const getInstance: Invoke<AwsConfig> = (args, config, resources) => {
  const byId = instances(args, config.region, resources, "getInstance").filter(
    (r) => args.instanceId === undefined || r.id === args.instanceId,
  );
  const r = single(byId, "EC2 Instance", "EC2 Instances");
  return {
    ...r.outputs,
    id: r.id,
    instanceState: state(r),
    launchTime: str(r.outputs.launchTime) ?? r.createdAt,
    tags: tagsOf(r),
    region: config.region,
  };
};

const getEbsVolumes: Invoke<AwsConfig> = (args, config, resources) => ({
  id: config.region,
  ids: volumes(args, config.region, resources, "getEbsVolumes").map((r) => r.id),
  ...(args.filters === undefined ? {} : { filters: args.filters }),
  ...(args.tags === undefined ? {} : { tags: args.tags }),
  region: config.region,
});

const getVolume: Invoke<AwsConfig> = (args, config, resources) => {
  const found = volumes(args, config.region, resources, "getVolume");
  const newest = [...found].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const r =
    args.mostRecent === true && newest[0] !== undefined
      ? newest[0]
      : single(found, "EBS Volume", "EBS Volumes");
  return {
    id: r.id,
    volumeId: r.id,
    arn: str(r.outputs.arn) ?? "",
    availabilityZone: str(r.outputs.availabilityZone) ?? "",
    size: r.outputs.size ?? 0,
    volumeType: str(r.outputs.type) ?? "gp2",
    encrypted: r.outputs.encrypted ?? false,
    iops: r.outputs.iops ?? 0,
    throughput: r.outputs.throughput ?? 0,
    kmsKeyId: "",
    outpostArn: "",
    snapshotId: str(r.outputs.snapshotId) ?? "",
    multiAttachEnabled: false,
    volumeInitializationRate: 0,
    createTime: str(r.outputs.createTime) ?? r.createdAt,
    tags: tagsOf(r),
    region: config.region,
  };
};

const getSecurityGroups: Invoke<AwsConfig> = (args, config, resources) => {
  const found = groups(args, config.region, resources, "getSecurityGroups");
  return {
    id: config.region,
    ids: found.map((r) => r.id),
    arns: found.map((r) => str(r.outputs.arn) ?? ""),
    vpcIds: found.map((r) => str(r.outputs.vpcId) ?? ""),
    tags: isObject(args.tags) ? args.tags : {},
    ...(args.filters === undefined ? {} : { filters: args.filters }),
    region: config.region,
  };
};

const getSecurityGroup: Invoke<AwsConfig> = (args, config, resources) => {
  const r = single(
    groups(args, config.region, resources, "getSecurityGroup"),
    "EC2 Security Group",
    "EC2 Security Groups",
  );
  return {
    id: r.id,
    arn: str(r.outputs.arn) ?? "",
    name: str(r.outputs.name) ?? "",
    description: str(r.outputs.description) ?? "",
    vpcId: str(r.outputs.vpcId) ?? "",
    tags: tagsOf(r),
    region: config.region,
  };
};

export const awsListInvokes: Record<string, Invoke<AwsConfig>> = {
  "aws:ec2/getInstances:getInstances": getInstances,
  "aws:ec2/getInstance:getInstance": getInstance,
  "aws:ebs/getEbsVolumes:getEbsVolumes": getEbsVolumes,
  "aws:ebs/getVolume:getVolume": getVolume,
  "aws:ec2/getSecurityGroups:getSecurityGroups": getSecurityGroups,
  "aws:ec2/getSecurityGroup:getSecurityGroup": getSecurityGroup,
};
