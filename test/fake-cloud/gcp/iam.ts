// gcp:serviceaccount/account:Account: a service account of a project, named by its accountId, known by
// its email. Instances (and TPU VMs) may run as one: it must exist when they are created or changed,
// unless it is a project's default Compute Engine account (`<number>-compute@developer...`).
import { digitsOf } from "../core/hash.js";
import type { Ctx, ResourceKind } from "../core/kind.js";
import { generated } from "../core/render.js";
import { obj, str, type JsonObject } from "../core/values.js";
import { googleApiError, projectOf } from "./common.js";
import type { GcpConfig } from "./config.js";

export const SERVICE_ACCOUNT = "gcp:serviceaccount/account:Account";
const ACCOUNT_ID_RE = /^[a-z](?:[-a-z0-9]{4,28}[a-z0-9])$/;
const DEFAULT_COMPUTE_RE = /^\d+-compute@developer\.gserviceaccount\.com$/;

export function serviceAccountEmail(accountId: string, project: string): string {
  return `${accountId}@${project}.iam.gserviceaccount.com`;
}

function idOf(inputs: JsonObject, config: GcpConfig): string {
  const project = projectOf(inputs, config) ?? "";
  return `projects/${project}/serviceAccounts/${serviceAccountEmail(str(inputs.accountId) ?? "", project)}`;
}

export const gcpServiceAccount: ResourceKind<GcpConfig> = {
  type: SERVICE_ACCOUNT,
  nameProperty: "accountId",
  replaceOn: ["accountId", "project"],
  check: (c, config) => {
    if (projectOf(c.inputs, config) === undefined)
      c.fail(
        "project",
        "project: required field is not set (set it on the resource, on the provider, or in GOOGLE_PROJECT)",
      );
    for (const p of ["accountId", "displayName", "description"]) c.type(p, "string");
    c.type("disabled", "boolean");
  },
  id: (inputs, _serial, ctx) => idOf(inputs, ctx.config),
  render: (inputs, ident, ctx) => {
    const project = projectOf(inputs, ctx.config) ?? "";
    const email = serviceAccountEmail(str(inputs.accountId) ?? "", project);
    return {
      ...inputs,
      id: idOf(inputs, ctx.config),
      name: idOf(inputs, ctx.config),
      project,
      email,
      member: `serviceAccount:${email}`,
      uniqueId: generated(ident, (i) => digitsOf(`sa:${i.serial}`, 21)),
      disabled: inputs.disabled ?? false,
      deletionPolicy: "DELETE",
    };
  },
  beforeCreate: (inputs) => {
    const accountId = str(inputs.accountId) ?? "";
    if (!ACCOUNT_ID_RE.test(accountId))
      throw googleApiError(
        "creating service account",
        400,
        `Invalid value for field 'accountId': '${accountId}'. The account ID must be 6 to 30 characters, a lowercase letter first, then lowercase letters, digits and hyphens, not ending with a hyphen.`,
        "badRequest",
      );
  },
};

/** The service account an instance runs as must exist (create, and update: it changes in place). */
export function requireServiceAccount(inputs: JsonObject, doing: string, ctx: Ctx<GcpConfig>): void {
  const email = str(obj(inputs.serviceAccount)?.email);
  if (email === undefined || email === "" || DEFAULT_COMPUTE_RE.test(email)) return;
  const known = Object.values(ctx.resources).some(
    (r) => r.type === SERVICE_ACCOUNT && r.outputs.email === email,
  );
  if (!known)
    throw googleApiError(
      doing,
      400,
      `The resource 'projects/${projectOf(inputs, ctx.config) ?? ""}/serviceAccounts/${email}' was not found`,
      "notFound",
    );
}
