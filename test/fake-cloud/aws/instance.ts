// aws:ec2/instance:Instance. Placement follows the subnet (the default subnet of a zone) or the
// availabilityZone input, else the region's first zone. The user data replaces the instance only with
// userDataReplaceOnChange (otherwise AWS stops and starts it, and cloud-init does not run again).
import { hostInCidr, publicIp } from "../core/addresses.js";
import type { Checker } from "../core/check-kit.js";
import { hexOf, uuidOf } from "../core/hash.js";
import { CloudError, type Ctx, type FaultSubject, type Ident, type ResourceKind } from "../core/kind.js";
import { generated } from "../core/render.js";
import { arr, obj, str, text, UNKNOWN, type Json, type JsonObject } from "../core/values.js";
import { tagsAll, type AwsConfig } from "./config.js";
import { awsBoot } from "./boot.js";
import { awsApiError } from "./errors.js";
import { arn, zoneByName, zoneBySubnet, zonesOf, type Zone } from "./geo.js";
import { requireInstanceProfile } from "./iam.js";

export const USER_DATA_LIMIT = 16 * 1024;
const RUN = { doing: "creating EC2 Instance", action: "RunInstances" };

/** The zone an instance lands in; undefined while its subnet is unknown or not one of the region's. */
export function placement(inputs: JsonObject, region: string): Zone | undefined {
  const subnet = inputs.subnetId;
  if (subnet === UNKNOWN || inputs.availabilityZone === UNKNOWN) return undefined;
  if (typeof subnet === "string") return zoneBySubnet(region, subnet);
  const az = str(inputs.availabilityZone);
  return az === undefined ? zonesOf(region)[0] : zoneByName(region, az);
}

function isSpot(inputs: JsonObject): boolean {
  return str(obj(inputs.instanceMarketOptions)?.marketType) === "spot";
}

function dnsSuffix(region: string, kind: "public" | "private"): string {
  if (kind === "private") return region === "us-east-1" ? "ec2.internal" : `${region}.compute.internal`;
  return region === "us-east-1" ? "compute-1.amazonaws.com" : `${region}.compute.amazonaws.com`;
}

/** `ip-10-0-0-5.ec2.internal` style names; "" without an address, unknown with an unknown one. */
function dnsName(ip: Json, format: (dashed: string) => string): Json {
  if (ip === "" || ip === UNKNOWN || typeof ip !== "string") return ip;
  return format(ip.replaceAll(".", "-"));
}

function render(inputs: JsonObject, ident: Ident | null, ctx: Ctx<AwsConfig>): JsonObject {
  const { region } = ctx.config;
  const zone = placement(inputs, region);
  const privateIp =
    str(inputs.privateIp) ??
    generated(ident, (i) => (zone === undefined ? "" : hostInCidr(zone.cidr, i.serial)));
  const publicAddress =
    inputs.associatePublicIpAddress === false ? "" : generated(ident, (i) => i.address ?? publicIp(i.serial));
  return {
    ...inputs,
    id: generated(ident, (i) => i.id),
    arn: generated(ident, (i) => arn(region, `instance/${i.id}`)),
    availabilityZone: zone?.name ?? UNKNOWN,
    subnetId: str(inputs.subnetId) ?? zone?.subnetId ?? UNKNOWN,
    privateIp,
    publicIp: publicAddress,
    privateDns: dnsName(privateIp, (s) => `ip-${s}.${dnsSuffix(region, "private")}`),
    publicDns: dnsName(publicAddress, (s) => `ec2-${s}.${dnsSuffix(region, "public")}`),
    primaryNetworkInterfaceId: generated(ident, (i) => `eni-${hexOf(`eni:${i.serial}`, 17)}`),
    instanceState: "running",
    instanceLifecycle: isSpot(inputs) ? "spot" : "",
    spotInstanceRequestId: isSpot(inputs)
      ? generated(ident, (i) => `sir-${hexOf(`sir:${i.serial}`, 8)}`)
      : "",
    vpcSecurityGroupIds: inputs.vpcSecurityGroupIds ?? [],
    tagsAll: tagsAll(ctx.config, inputs),
  };
}

function check(c: Checker): void {
  c.required("ami", "string");
  c.required("instanceType", "string");
  for (const p of [
    "subnetId",
    "availabilityZone",
    "keyName",
    "userData",
    "userDataBase64",
    "privateIp",
    "iamInstanceProfile",
  ])
    c.type(p, "string");
  for (const p of ["userDataReplaceOnChange", "associatePublicIpAddress"]) c.type(p, "boolean");
  c.type("vpcSecurityGroupIds", "array");
  c.type("tags", "object");
  c.type("instanceMarketOptions", "object");
  c.oneOf("instanceMarketOptions.marketType", ["spot", "capacity-block"]);
  c.type("instanceInitiatedShutdownBehavior", "string");
  c.oneOf("instanceInitiatedShutdownBehavior", ["stop", "terminate"]);
  c.maxBytes("userData", USER_DATA_LIMIT, "raw", "userData");
  c.maxBytes("userDataBase64", USER_DATA_LIMIT, "base64", "userDataBase64");
  if (c.get("userData") !== undefined && c.get("userDataBase64") !== undefined)
    c.fail("userDataBase64", `"userDataBase64": conflicts with userData`);
}

function beforeCreate(inputs: JsonObject, _id: string, ctx: Ctx<AwsConfig>): void {
  const { region } = ctx.config;
  const fail = (code: string, message: string): never => {
    throw new CloudError(awsApiError(RUN, 400, code, message, uuidOf(`${code}:${message}`)));
  };
  const subnet = str(inputs.subnetId);
  if (subnet !== undefined && zoneBySubnet(region, subnet) === undefined)
    fail("InvalidSubnetID.NotFound", `The subnet ID '${subnet}' does not exist`);
  const az = str(inputs.availabilityZone);
  if (az !== undefined && zoneByName(region, az) === undefined)
    fail("InvalidParameterValue", `Invalid availability zone: [${az}]`);
  if (subnet !== undefined && az !== undefined && zoneBySubnet(region, subnet)?.name !== az)
    fail("InvalidParameterValue", `The subnet '${subnet}' is not in the Availability Zone ${az}`);
  const ami = str(inputs.ami) ?? "";
  if (!/^ami-[0-9a-f]{8,17}$/.test(ami))
    fail("InvalidAMIID.Malformed", `Invalid id: "${ami}" (expecting "ami-...")`);
  for (const sg of arr(inputs.vpcSecurityGroupIds) ?? [])
    if (typeof sg !== "string" || ctx.resources[sg]?.type !== "aws:ec2/securityGroup:SecurityGroup")
      fail("InvalidGroup.NotFound", `The security group '${text(sg)}' does not exist`);
  const key = str(inputs.keyName);
  if (key !== undefined && ctx.resources[key]?.type !== "aws:ec2/keyPair:KeyPair")
    fail("InvalidKeyPair.NotFound", `The key pair '${key}' does not exist`);
  requireInstanceProfile(inputs, RUN, ctx);
}

function faultSubject(inputs: JsonObject, ctx: Ctx<AwsConfig>): FaultSubject {
  const { region } = ctx.config;
  const zone = placement(inputs, region);
  return {
    cloud: "aws",
    zones: zone === undefined ? [] : [zone.name, zone.id],
    zone: zone?.name ?? "",
    region,
    instanceType: str(inputs.instanceType) ?? "",
    spot: isSpot(inputs),
    name: "",
    path: "",
    image: str(inputs.ami) ?? "",
    otherZones: zonesOf(region)
      .filter((z) => z.name !== zone?.name)
      .map((z) => z.name),
  };
}

export const awsInstance: ResourceKind<AwsConfig> = {
  type: "aws:ec2/instance:Instance",
  replaceOn: [
    "ami",
    "availabilityZone",
    "subnetId",
    "instanceMarketOptions",
    "keyName",
    "associatePublicIpAddress",
    "privateIp",
    "placementGroup",
    "tenancy",
    "ebsBlockDevices",
    "networkInterfaces",
    "rootBlockDevice.encrypted",
    "rootBlockDevice.kmsKeyId",
  ],
  replaceIf: (_olds, news) => (news.userDataReplaceOnChange === true ? ["userData", "userDataBase64"] : []),
  check,
  id: (_inputs, serial) => `i-${hexOf(`instance:${serial}`, 17)}`,
  render,
  beforeCreate,
  // A changed instance profile is associated in place (AssociateIamInstanceProfile): it must exist.
  beforeUpdate: (old, news, ctx) =>
    requireInstanceProfile(
      news,
      { doing: `updating EC2 Instance (${old.id})`, action: "AssociateIamInstanceProfile" },
      ctx,
    ),
  // Terminating an instance detaches its volumes.
  cascade: (res, ctx) =>
    Object.values(ctx.resources)
      .filter((r) => r.type === "aws:ec2/volumeAttachment:VolumeAttachment" && r.inputs.instanceId === res.id)
      .map((r) => r.id),
  faultSubject,
  publicAddress: (inputs) => inputs.associatePublicIpAddress !== false,
  // A shutdown from inside the guest: terminated with instanceInitiatedShutdownBehavior "terminate"
  // (the real provider then reads it as gone), else stopped (AWS's default behaviour, "stop").
  poweredOff: (res) =>
    res.inputs.instanceInitiatedShutdownBehavior === "terminate"
      ? "terminated"
      : { ...res.outputs, instanceState: "stopped", publicIp: "" },
  boot: awsBoot,
};
