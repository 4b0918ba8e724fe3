// The lookups the AWS stacks make: the default VPC, its default subnets (by zone name or AZ id), and
// an AMI. Filters work as in EC2 (any listed value matches, `*` and `?` wildcards); a filter name the
// fake does not model fails loudly rather than matching everything.
import { hexOf } from "../core/hash.js";
import type { Invoke } from "../core/kind.js";
import { arr, isObject, str, text, type JsonObject } from "../core/values.js";
import type { AwsConfig } from "./config.js";
import { matches, type Fields } from "./filters.js";
import { ACCOUNT_ID, arn, defaultVpcId, VPC_CIDR, zonesOf } from "./geo.js";
import { awsListInvokes } from "./list-invokes.js";
import { dataPlaneHost } from "../core/data-plane.js";
import { fakeRegistryToken, TOKEN_EXPIRES_AT } from "../core/registry-tokens.js";
import { ecrHost } from "./ecr.js";

function vpc(region: string): JsonObject {
  const id = defaultVpcId(region);
  return {
    id,
    arn: arn(region, `vpc/${id}`),
    cidrBlock: VPC_CIDR,
    default: true,
    state: "available",
    ownerId: ACCOUNT_ID,
    instanceTenancy: "default",
    enableDnsHostnames: true,
    enableDnsSupport: true,
    dhcpOptionsId: `dopt-${hexOf(`dopt:${region}`, 17)}`,
    mainRouteTableId: `rtb-${hexOf(`rtb:${region}`, 17)}`,
    cidrBlockAssociations: [
      {
        associationId: `vpc-cidr-assoc-${hexOf(`assoc:${region}`, 17)}`,
        cidrBlock: VPC_CIDR,
        state: "associated",
      },
    ],
    tags: {},
  };
}

function subnets(region: string): JsonObject[] {
  const vpcId = defaultVpcId(region);
  return zonesOf(region).map((z) => ({
    id: z.subnetId,
    arn: arn(region, `subnet/${z.subnetId}`),
    vpcId,
    availabilityZone: z.name,
    availabilityZoneId: z.id,
    cidrBlock: z.cidr,
    defaultForAz: true,
    mapPublicIpOnLaunch: true,
    state: "available",
    availableIpAddressCount: 4091,
    ownerId: ACCOUNT_ID,
    tags: {},
  }));
}

function subnetFields(s: JsonObject): Fields {
  return {
    "vpc-id": text(s.vpcId),
    "subnet-id": text(s.id),
    "availability-zone": text(s.availabilityZone),
    "availability-zone-id": text(s.availabilityZoneId),
    "default-for-az": "true",
    state: "available",
    "cidr-block": text(s.cidrBlock),
  };
}

/** getSubnet's direct arguments, as the filters they stand for. */
const SUBNET_ARGS: Record<string, string> = {
  id: "subnet-id",
  vpcId: "vpc-id",
  availabilityZone: "availability-zone",
  availabilityZoneId: "availability-zone-id",
  cidrBlock: "cidr-block",
  state: "state",
};

const getVpc: Invoke<AwsConfig> = (args, config) => {
  const v = vpc(config.region);
  const ok =
    args.default !== false &&
    (args.id === undefined || args.id === v.id) &&
    matches(
      args.filters,
      { "vpc-id": text(v.id), isDefault: "true", state: "available", "cidr-block": VPC_CIDR },
      "getVpc",
    );
  if (!ok) throw new Error("no matching EC2 VPC found");
  return { ...v, region: config.region };
};

const getSubnet: Invoke<AwsConfig> = (args, config) => {
  const found = subnets(config.region).filter((s) => {
    const fields = subnetFields(s);
    const direct = Object.entries(SUBNET_ARGS).every(
      ([arg, field]) => args[arg] === undefined || args[arg] === fields[field],
    );
    return (
      direct &&
      (args.defaultForAz === undefined || args.defaultForAz === true) &&
      matches(args.filters, fields, "getSubnet")
    );
  });
  if (found.length === 0) throw new Error("no matching EC2 Subnet found");
  if (found.length > 1)
    throw new Error(
      "multiple EC2 Subnets matched; use additional constraints to reduce matches to a single EC2 Subnet",
    );
  return { ...found[0], region: config.region };
};

const getSubnets: Invoke<AwsConfig> = (args, config) => {
  const ids = subnets(config.region)
    .filter((s) => matches(args.filters, subnetFields(s), "getSubnets"))
    .map((s) => s.id ?? "");
  return { id: config.region, ids, region: config.region };
};

const getAmi: Invoke<AwsConfig> = (args, config) => {
  const byName = (arr(args.filters) ?? []).find((f) => isObject(f) && f.name === "name");
  const pattern = isObject(byName) ? str(arr(byName.values)?.[0]) : undefined;
  const name = (pattern ?? "fake-image").replaceAll("*", "20250101").replaceAll("?", "0");
  const id = `ami-${hexOf(`ami:${config.region}:${JSON.stringify(args)}`, 17)}`;
  const architecture = (arr(args.filters) ?? []).find((f) => isObject(f) && f.name === "architecture");
  return {
    id,
    imageId: id,
    name,
    architecture: (isObject(architecture) ? str(arr(architecture.values)?.[0]) : undefined) ?? "x86_64",
    ownerId: str(arr(args.owners)?.[0]) ?? ACCOUNT_ID,
    rootDeviceName: "/dev/sda1",
    rootDeviceType: "ebs",
    virtualizationType: "hvm",
    state: "available",
    creationDate: "2025-01-01T00:00:00.000Z",
    region: config.region,
  };
};

/** ecr:GetAuthorizationToken: the registry's 12-hour login, `AWS:<password>` base64-encoded. */
const getAuthorizationToken: Invoke<AwsConfig> = (_args, config) => {
  const password = fakeRegistryToken(`aws:${ACCOUNT_ID}:${config.region}`);
  const plane = dataPlaneHost();
  return {
    id: config.region,
    authorizationToken: Buffer.from(`AWS:${password}`).toString("base64"),
    expiresAt: TOKEN_EXPIRES_AT,
    password,
    proxyEndpoint: plane === undefined ? `https://${ecrHost(config.region)}` : `http://${plane}`,
    userName: "AWS",
  };
};

export const awsInvokes: Record<string, Invoke<AwsConfig>> = {
  "aws:ecr/getAuthorizationToken:getAuthorizationToken": getAuthorizationToken,
  "aws:ec2/getVpc:getVpc": getVpc,
  "aws:ec2/getSubnet:getSubnet": getSubnet,
  "aws:ec2/getSubnets:getSubnets": getSubnets,
  "aws:ec2/getAmi:getAmi": getAmi,
  ...awsListInvokes,
};
