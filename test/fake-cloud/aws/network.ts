// aws:ec2/securityGroup:SecurityGroup and aws:ec2/keyPair:KeyPair. Security groups live in the
// region's default VPC (the only VPC the fake models); a key pair's id is its name, as in AWS.
import type { Checker } from "../core/check-kit.js";
import { hexOf, uuidOf } from "../core/hash.js";
import { CloudError, type Ctx, type Ident, type ResourceKind } from "../core/kind.js";
import { generated } from "../core/render.js";
import { arr, isObject, str, type JsonObject } from "../core/values.js";
import { tagsAll, type AwsConfig } from "./config.js";
import { awsApiError } from "./errors.js";
import { ACCOUNT_ID, arn, defaultVpcId } from "./geo.js";

function checkRules(c: Checker, prop: "ingress" | "egress"): void {
  c.type(prop, "array");
  (arr(c.get(prop)) ?? []).forEach((rule, i) => {
    if (!isObject(rule)) return;
    c.required(`${prop}[${i}].protocol`, "string");
    c.required(`${prop}[${i}].fromPort`, "number");
    c.required(`${prop}[${i}].toPort`, "number");
    c.type(`${prop}[${i}].cidrBlocks`, "array");
  });
}

function renderGroup(inputs: JsonObject, ident: Ident | null, ctx: Ctx<AwsConfig>): JsonObject {
  const { region } = ctx.config;
  return {
    ...inputs,
    id: generated(ident, (i) => i.id),
    arn: generated(ident, (i) => arn(region, `security-group/${i.id}`)),
    ownerId: ACCOUNT_ID,
    vpcId: inputs.vpcId ?? defaultVpcId(region),
    description: inputs.description ?? "Managed by Pulumi",
    ingress: inputs.ingress ?? [],
    egress: inputs.egress ?? [],
    tagsAll: tagsAll(ctx.config, inputs),
  };
}

export const awsSecurityGroup: ResourceKind<AwsConfig> = {
  type: "aws:ec2/securityGroup:SecurityGroup",
  nameProperty: "name",
  replaceOn: ["name", "namePrefix", "vpcId", "description"],
  check: (c) => {
    for (const p of ["name", "description", "vpcId"]) c.type(p, "string");
    checkRules(c, "ingress");
    checkRules(c, "egress");
    c.type("tags", "object");
  },
  id: (_inputs, serial) => `sg-${hexOf(`sg:${serial}`, 17)}`,
  render: renderGroup,
  beforeCreate: (inputs, _id, ctx) => {
    const vpc = str(inputs.vpcId);
    if (vpc !== undefined && vpc !== defaultVpcId(ctx.config.region))
      throw new CloudError(
        awsApiError(
          { doing: "creating Security Group", action: "CreateSecurityGroup" },
          400,
          "InvalidVpcID.NotFound",
          `The vpc ID '${vpc}' does not exist`,
          uuidOf(`vpc:${vpc}`),
        ),
      );
  },
  beforeDelete: (res, ctx) => {
    const user = Object.values(ctx.resources).find(
      (r) =>
        r.type === "aws:ec2/instance:Instance" && (arr(r.inputs.vpcSecurityGroupIds) ?? []).includes(res.id),
    );
    if (user !== undefined)
      throw new CloudError(
        awsApiError(
          { doing: `deleting Security Group (${res.id})`, action: "DeleteSecurityGroup" },
          400,
          "DependencyViolation",
          `resource ${res.id} has a dependent object`,
          uuidOf(`dep:${res.id}:${user.id}`),
        ),
      );
  },
};

export const awsKeyPair: ResourceKind<AwsConfig> = {
  type: "aws:ec2/keyPair:KeyPair",
  nameProperty: "keyName",
  replaceOn: ["keyName", "keyNamePrefix", "publicKey"],
  check: (c) => {
    c.required("publicKey", "string");
    c.type("keyName", "string");
    c.type("tags", "object");
  },
  id: (inputs) => str(inputs.keyName) ?? "",
  render: (inputs, ident, ctx) => ({
    ...inputs,
    id: generated(ident, (i) => i.id),
    keyPairId: generated(ident, (i) => `key-${hexOf(`key:${i.serial}`, 17)}`),
    arn: generated(ident, (i) => arn(ctx.config.region, `key-pair/${i.id}`)),
    fingerprint: (hexOf(`fp:${str(inputs.publicKey) ?? ""}`, 32).match(/../g) ?? []).join(":"),
    keyType: str(inputs.publicKey)?.startsWith("ssh-ed25519") === true ? "ed25519" : "rsa",
    tagsAll: tagsAll(ctx.config, inputs),
  }),
};
