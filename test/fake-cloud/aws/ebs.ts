// aws:ebs/volume:Volume and aws:ec2/volumeAttachment:VolumeAttachment. A volume lives in one zone and
// attaches only to an instance of that zone, to one instance at a time; it cannot be deleted while
// attached, and terminating the instance detaches it.
import type { Checker } from "../core/check-kit.js";
import { digitsOf, hexOf, uuidOf } from "../core/hash.js";
import { CloudError, type ResourceKind } from "../core/kind.js";
import { generated } from "../core/render.js";
import { str, text, type JsonObject } from "../core/values.js";
import { tagsAll, type AwsConfig } from "./config.js";
import { awsApiError, type AwsCall } from "./errors.js";
import { arn, zoneByName } from "./geo.js";

const VOLUME = "aws:ebs/volume:Volume";
const ATTACHMENT = "aws:ec2/volumeAttachment:VolumeAttachment";
const INSTANCE = "aws:ec2/instance:Instance";
const VOLUME_TYPES = ["standard", "gp2", "gp3", "io1", "io2", "sc1", "st1"];

function refuse(call: AwsCall, code: string, message: string): never {
  throw new CloudError(awsApiError(call, 400, code, message, uuidOf(`${call.action}:${message}`)));
}

function checkVolume(c: Checker): void {
  c.required("availabilityZone", "string");
  c.positiveInt("size");
  c.type("snapshotId", "string");
  if (c.get("size") === undefined && c.get("snapshotId") === undefined)
    c.fail("size", `one of "size" or "snapshotId" must be specified`);
  c.oneOf("type", VOLUME_TYPES);
  c.type("encrypted", "boolean");
  c.type("tags", "object");
}

function volumeDefaults(inputs: JsonObject): JsonObject {
  const type = str(inputs.type) ?? "gp2";
  return {
    type,
    encrypted: inputs.encrypted ?? false,
    ...(type === "gp3" ? { iops: inputs.iops ?? 3000, throughput: inputs.throughput ?? 125 } : {}),
  };
}

export const awsVolume: ResourceKind<AwsConfig> = {
  type: VOLUME,
  replaceOn: ["availabilityZone", "snapshotId", "encrypted", "kmsKeyId", "outpostArn"],
  check: checkVolume,
  id: (_inputs, serial) => `vol-${hexOf(`vol:${serial}`, 17)}`,
  render: (inputs, ident, ctx) => ({
    ...inputs,
    ...volumeDefaults(inputs),
    id: generated(ident, (i) => i.id),
    arn: generated(ident, (i) => arn(ctx.config.region, `volume/${i.id}`)),
    tagsAll: tagsAll(ctx.config, inputs),
  }),
  beforeCreate: (inputs, _id, ctx) => {
    const az = str(inputs.availabilityZone) ?? "";
    if (zoneByName(ctx.config.region, az) === undefined)
      refuse(
        { doing: "creating EBS Volume", action: "CreateVolume" },
        "InvalidZone.NotFound",
        `The zone '${az}' does not exist.`,
      );
  },
  beforeUpdate: (old, news) => {
    const before = old.outputs.size;
    const after = news.size;
    if (typeof before === "number" && typeof after === "number" && after < before)
      refuse(
        { doing: `modifying EBS Volume (${old.id})`, action: "ModifyVolume" },
        "InvalidParameterValue",
        `New size cannot be smaller than existing size`,
      );
  },
  beforeDelete: (res, ctx) => {
    const attachment = Object.values(ctx.resources).find(
      (r) => r.type === ATTACHMENT && r.inputs.volumeId === res.id,
    );
    if (attachment !== undefined)
      refuse(
        { doing: `deleting EBS Volume (${res.id})`, action: "DeleteVolume" },
        "VolumeInUse",
        `Volume ${res.id} is currently attached to ${text(attachment.inputs.instanceId)}`,
      );
  },
};

export const awsVolumeAttachment: ResourceKind<AwsConfig> = {
  type: ATTACHMENT,
  replaceOn: ["deviceName", "instanceId", "volumeId"],
  check: (c) => {
    for (const p of ["deviceName", "instanceId", "volumeId"]) c.required(p, "string");
  },
  id: (inputs) =>
    `vai-${digitsOf(`${text(inputs.deviceName)}-${text(inputs.instanceId)}-${text(inputs.volumeId)}`, 10)}`,
  render: (inputs, ident) => ({ ...inputs, id: generated(ident, (i) => i.id) }),
  beforeCreate: (inputs, _id, ctx) => {
    const instanceId = str(inputs.instanceId) ?? "";
    const volumeId = str(inputs.volumeId) ?? "";
    const call = {
      doing: `attaching EBS Volume (${volumeId}) to EC2 Instance (${instanceId})`,
      action: "AttachVolume",
    };
    const instance = ctx.resources[instanceId];
    const volume = ctx.resources[volumeId];
    if (instance?.type !== INSTANCE)
      refuse(call, "InvalidInstanceID.NotFound", `The instance ID '${instanceId}' does not exist`);
    if (volume?.type !== VOLUME)
      refuse(call, "InvalidVolume.NotFound", `The volume '${volumeId}' does not exist.`);
    if (instance.outputs.availabilityZone !== volume.outputs.availabilityZone)
      refuse(
        call,
        "InvalidVolume.ZoneMismatch",
        `The volume '${volumeId}' is not in the same availability zone as instance '${instanceId}'`,
      );
    if (Object.values(ctx.resources).some((r) => r.type === ATTACHMENT && r.inputs.volumeId === volumeId))
      refuse(call, "VolumeInUse", `${volumeId} is already attached to an instance`);
  },
};
