// Managed identities and role assignments: azure-native:managedidentity:UserAssignedIdentity (a
// principal a VM can take) and azure-native:authorization:RoleAssignment (a role of a principal at a
// scope, named by a GUID; the provider autonames it with a fresh one). Assignments are recorded and
// checked, not evaluated: nothing here decides what a principal may do.
import type { Checker } from "../core/check-kit.js";
import { uuidOf } from "../core/hash.js";
import type { Ctx, ResourceKind } from "../core/kind.js";
import { generated } from "../core/render.js";
import { arr, obj, str, text, type JsonObject } from "../core/values.js";
import { armError, armId, armOutputs, requireGroup } from "./common.js";
import type { AzureConfig } from "./config.js";

export const IDENTITY_TYPE = "azure-native:managedidentity:UserAssignedIdentity";
export const ROLE_ASSIGNMENT_TYPE = "azure-native:authorization:RoleAssignment";
const IDENTITIES = "Microsoft.ManagedIdentity/userAssignedIdentities";
const ASSIGNMENTS = "Microsoft.Authorization/roleAssignments";
/** The fake directory's tenant. */
export const TENANT_ID = "72f988bf-0000-4000-a000-000000000001";
const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ROLE_DEFINITION_RE =
  /^(\/subscriptions\/[^/]+)?\/providers\/Microsoft\.Authorization\/roleDefinitions\/[0-9a-f-]{36}$/i;
const PRINCIPAL_TYPES = ["User", "Group", "ServicePrincipal", "ForeignGroup", "Device"];

export const azureUserAssignedIdentity: ResourceKind<AzureConfig> = {
  type: IDENTITY_TYPE,
  nameProperty: "resourceName",
  replaceOn: ["resourceGroupName", "resourceName", "location"],
  check: (c) => {
    c.required("resourceGroupName", "string");
    c.type("tags", "object");
  },
  id: (inputs, _s, ctx) => armId(inputs, ctx.config, IDENTITIES, "resourceName"),
  render: (inputs, ident, ctx) => ({
    ...armOutputs(
      inputs,
      ident,
      ctx,
      armId(inputs, ctx.config, IDENTITIES, "resourceName"),
      IDENTITIES,
      str(inputs.resourceName) ?? "",
    ),
    principalId: generated(ident, (i) => uuidOf(`principal:${i.serial}`)),
    clientId: generated(ident, (i) => uuidOf(`client:${i.serial}`)),
    tenantId: TENANT_ID,
  }),
  beforeCreate: (inputs, _id, ctx) => requireGroup(inputs, ctx),
};

function assignmentId(inputs: JsonObject): string {
  return `${str(inputs.scope) ?? ""}/providers/${ASSIGNMENTS}/${str(inputs.roleAssignmentName) ?? ""}`;
}

function checkAssignment(c: Checker): void {
  for (const p of ["principalId", "roleDefinitionId", "scope"]) c.required(p, "string");
  c.oneOf("principalType", PRINCIPAL_TYPES);
  c.type("roleAssignmentName", "string");
}

/** What ARM refuses: a name that is no GUID, a malformed role, a scope or principal it cannot find. */
function beforeAssign(inputs: JsonObject, ctx: Ctx<AzureConfig>): void {
  const name = str(inputs.roleAssignmentName) ?? "";
  if (!GUID_RE.test(name))
    throw armError(
      "InvalidRoleAssignmentId",
      `The role assignment ID '${name}' is not valid. The role assignment ID must be a GUID.`,
    );
  const role = str(inputs.roleDefinitionId) ?? "";
  if (!ROLE_DEFINITION_RE.test(role))
    throw armError("InvalidRoleDefinitionId", `The role definition ID '${role}' is not valid.`);
  const scope = str(inputs.scope) ?? "";
  if (scope.includes("/resourceGroups/") && ctx.resources[scope] === undefined)
    throw armError(
      "ResourceNotFound",
      `The Resource '${scope}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    );
  const principal = str(inputs.principalId) ?? "";
  if (
    !Object.values(ctx.resources).some((r) => r.type === IDENTITY_TYPE && r.outputs.principalId === principal)
  )
    throw armError(
      "PrincipalNotFound",
      `Principal ${principal} does not exist in the directory ${TENANT_ID}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype`,
    );
  const same = Object.values(ctx.resources).find(
    (r) =>
      r.type === ROLE_ASSIGNMENT_TYPE &&
      r.inputs.scope === scope &&
      r.inputs.principalId === principal &&
      str(r.inputs.roleDefinitionId)?.split("/").pop() === role.split("/").pop(),
  );
  if (same !== undefined) throw armError("RoleAssignmentExists", "The role assignment already exists.");
}

export const azureRoleAssignment: ResourceKind<AzureConfig> = {
  type: ROLE_ASSIGNMENT_TYPE,
  nameProperty: "roleAssignmentName",
  autoName: (_logical, seed) => uuidOf(`role-assignment:${seed}`),
  replaceOn: [
    "scope",
    "roleAssignmentName",
    "principalId",
    "roleDefinitionId",
    "principalType",
    "condition",
    "conditionVersion",
    "delegatedManagedIdentityResourceId",
  ],
  check: checkAssignment,
  id: (inputs) => assignmentId(inputs),
  render: (inputs, ident) => ({
    ...inputs,
    id: assignmentId(inputs),
    name: str(inputs.roleAssignmentName) ?? "",
    type: ASSIGNMENTS,
    createdOn: generated(ident, () => new Date().toISOString()),
    updatedOn: generated(ident, () => new Date().toISOString()),
    createdBy: generated(ident, (i) => uuidOf(`creator:${i.serial}`)),
  }),
  beforeCreate: (inputs, _id, ctx) => beforeAssign(inputs, ctx),
};

/** A VM's user-assigned identities must exist (create and update: identities change in place). */
export function checkVmIdentity(c: Checker): void {
  c.type("identity", "object");
  c.oneOf("identity.type", ["SystemAssigned", "UserAssigned", "SystemAssigned, UserAssigned", "None"]);
  c.type("identity.userAssignedIdentities", "array");
}

export function requireIdentities(inputs: JsonObject, vm: string, ctx: Ctx<AzureConfig>): void {
  for (const ref of arr(obj(inputs.identity)?.userAssignedIdentities) ?? []) {
    const id = text(ref);
    if (ctx.resources[id]?.type !== IDENTITY_TYPE)
      throw armError(
        "FailedIdentityOperation",
        `Identity operation for resource '${vm}' failed with error 'Failed to perform resource identity operation. Status: 'NotFound'. Response: '{"error":{"code":"NotFound","message":"Resource '${id}' not found."}}'.'`,
      );
  }
}

/** The VM's identity as ARM reports it: the user-assigned ones keyed by id, with their principals. */
export function vmIdentityOutput(inputs: JsonObject, ctx: Ctx<AzureConfig>): JsonObject | undefined {
  const identity = obj(inputs.identity);
  if (identity === undefined) return undefined;
  const assigned = (arr(identity.userAssignedIdentities) ?? []).map(text);
  return {
    type: identity.type ?? "None",
    userAssignedIdentities: Object.fromEntries(
      assigned.map((id) => [
        id,
        {
          principalId: ctx.resources[id]?.outputs.principalId ?? "",
          clientId: ctx.resources[id]?.outputs.clientId ?? "",
        },
      ]),
    ),
  };
}
