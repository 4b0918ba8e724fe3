// IAM, as far as an instance role needs it: aws:iam/role:Role, aws:iam/rolePolicy:RolePolicy (an inline
// policy) and aws:iam/instanceProfile:InstanceProfile (what EC2 instances take). IAM is global: ids are
// names, ARNs carry no region. Policies are checked as JSON policy documents, not evaluated.
import type { Checker } from "../core/check-kit.js";
import { hexOf, uuidOf } from "../core/hash.js";
import { CloudError, type Ctx, type ResourceKind } from "../core/kind.js";
import { generated } from "../core/render.js";
import { isObject, str, text, type Json, type JsonObject } from "../core/values.js";
import { tagsAll, type AwsConfig } from "./config.js";
import { awsApiError, type AwsCall } from "./errors.js";
import { ACCOUNT_ID } from "./geo.js";

export const IAM_ROLE = "aws:iam/role:Role";
export const IAM_ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
export const IAM_INSTANCE_PROFILE = "aws:iam/instanceProfile:InstanceProfile";
const CREATED = "2025-01-01T00:00:00Z";

function refuse(call: AwsCall, status: number, code: string, message: string): never {
  throw new CloudError(awsApiError(call, status, code, message, uuidOf(`${call.action}:${message}`)));
}

/** IAM's unique ids: a 4-letter prefix per kind, then 17 uppercase letters and digits. */
function uniqueId(prefix: string, serial: number): string {
  return `${prefix}${hexOf(`${prefix}:${serial}`, 17).toUpperCase()}`;
}

/** A policy document: a JSON string with a Statement list whose entries name an Effect and Actions. */
function checkPolicy(c: Checker, path: string): void {
  const value = c.get(path);
  if (typeof value !== "string") return c.type(path, "string");
  let doc: Json;
  try {
    doc = JSON.parse(value) as Json;
  } catch {
    return c.fail(path, `"${path}" contains an invalid JSON policy`);
  }
  const statements = isObject(doc) ? doc.Statement : undefined;
  const list = Array.isArray(statements) ? statements : isObject(statements) ? [statements] : [];
  if (list.length === 0) return c.fail(path, `"${path}" is not a policy document: it has no Statement`);
  list.forEach((s, i) => {
    if (!isObject(s) || !["Allow", "Deny"].includes(str(s.Effect) ?? ""))
      c.fail(path, `"${path}" Statement[${i}] needs an Effect of "Allow" or "Deny"`);
    else if (s.Action === undefined && s.NotAction === undefined)
      c.fail(path, `"${path}" Statement[${i}] needs an Action`);
  });
}

function requireRole(role: string, call: AwsCall, ctx: Ctx<AwsConfig>): void {
  if (ctx.resources[role]?.type !== IAM_ROLE)
    refuse(call, 404, "NoSuchEntity", `The role with name ${role} cannot be found.`);
}

function pathOf(inputs: JsonObject): string {
  return str(inputs.path) ?? "/";
}

export const awsIamRole: ResourceKind<AwsConfig> = {
  type: IAM_ROLE,
  nameProperty: "name",
  replaceOn: ["name", "namePrefix", "path"],
  check: (c) => {
    c.required("assumeRolePolicy", "string");
    checkPolicy(c, "assumeRolePolicy");
    for (const p of ["name", "path", "description"]) c.type(p, "string");
    c.type("maxSessionDuration", "number");
    c.type("tags", "object");
  },
  id: (inputs) => str(inputs.name) ?? "",
  render: (inputs, ident, ctx) => ({
    ...inputs,
    id: generated(ident, (i) => i.id),
    arn: `arn:aws:iam::${ACCOUNT_ID}:role${pathOf(inputs)}${str(inputs.name) ?? ""}`,
    uniqueId: generated(ident, (i) => uniqueId("AROA", i.serial)),
    path: pathOf(inputs),
    maxSessionDuration: inputs.maxSessionDuration ?? 3600,
    createDate: CREATED,
    tagsAll: tagsAll(ctx.config, inputs),
  }),
  beforeCreate: (inputs) => {
    const name = str(inputs.name) ?? "";
    if (!/^[\w+=,.@-]{1,64}$/.test(name))
      refuse(
        { doing: "creating IAM Role", action: "CreateRole", service: "IAM" },
        400,
        "ValidationError",
        `1 validation error detected: Value '${name}' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`,
      );
  },
  // The provider takes the role out of its instance profiles before DeleteRole (the fake leaves their
  // records as they are); inline policies of RolePolicy resources must be gone first, or IAM refuses.
  beforeDelete: (res, ctx) => {
    const policy = Object.values(ctx.resources).find(
      (r) => r.type === IAM_ROLE_POLICY && r.inputs.role === res.id,
    );
    if (policy !== undefined)
      refuse(
        { doing: `deleting IAM Role (${res.id})`, action: "DeleteRole", service: "IAM" },
        409,
        "DeleteConflict",
        "Cannot delete entity, must delete policies first.",
      );
  },
};

export const awsIamRolePolicy: ResourceKind<AwsConfig> = {
  type: IAM_ROLE_POLICY,
  nameProperty: "name",
  replaceOn: ["name", "namePrefix", "role"],
  check: (c) => {
    c.required("role", "string");
    c.required("policy", "string");
    checkPolicy(c, "policy");
    c.type("name", "string");
  },
  id: (inputs) => `${str(inputs.role) ?? ""}:${str(inputs.name) ?? ""}`,
  render: (inputs, ident) => ({ ...inputs, id: generated(ident, (i) => i.id) }),
  beforeCreate: (inputs, _id, ctx) => {
    const role = str(inputs.role) ?? "";
    requireRole(
      role,
      {
        doing: `putting IAM Role (${role}) policy (${text(inputs.name)})`,
        action: "PutRolePolicy",
        service: "IAM",
      },
      ctx,
    );
  },
};

function profileRole(inputs: JsonObject, id: string, ctx: Ctx<AwsConfig>): void {
  const role = str(inputs.role);
  if (role !== undefined)
    requireRole(
      role,
      {
        doing: `adding IAM Role (${role}) to IAM Instance Profile (${id})`,
        action: "AddRoleToInstanceProfile",
        service: "IAM",
      },
      ctx,
    );
}

export const awsIamInstanceProfile: ResourceKind<AwsConfig> = {
  type: IAM_INSTANCE_PROFILE,
  nameProperty: "name",
  replaceOn: ["name", "namePrefix", "path"],
  check: (c) => {
    for (const p of ["name", "path", "role"]) c.type(p, "string");
    c.type("tags", "object");
  },
  id: (inputs) => str(inputs.name) ?? "",
  render: (inputs, ident, ctx) => ({
    ...inputs,
    id: generated(ident, (i) => i.id),
    arn: `arn:aws:iam::${ACCOUNT_ID}:instance-profile${pathOf(inputs)}${str(inputs.name) ?? ""}`,
    uniqueId: generated(ident, (i) => uniqueId("AIPA", i.serial)),
    path: pathOf(inputs),
    role: inputs.role ?? "",
    createDate: CREATED,
    tagsAll: tagsAll(ctx.config, inputs),
  }),
  beforeCreate: profileRole,
  beforeUpdate: (old, news, ctx) => profileRole(news, old.id, ctx),
};

/** EC2 refuses an instance profile that does not exist (create and update of an instance). */
export function requireInstanceProfile(inputs: JsonObject, call: AwsCall, ctx: Ctx<AwsConfig>): void {
  const name = str(inputs.iamInstanceProfile);
  if (name !== undefined && name !== "" && ctx.resources[name]?.type !== IAM_INSTANCE_PROFILE)
    refuse(
      call,
      400,
      "InvalidParameterValue",
      `Value (${name}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name`,
    );
}
