// Cloud names of a project's registry resources, each within its cloud's rules. Names scoped to an
// account or project rather than a region (IAM roles, GCP service accounts) carry the region too, so
// two regions' registries of one project never claim the same name; names that would exceed a limit end
// in a hash of what they stand for, so cutting them never makes two alike.
import { createHash } from "node:crypto";
import type { RegistrySpec } from "./registry-spec.js";

type Scope = Pick<RegistrySpec, "project" | "region">;

function hash(text: string, n: number): string {
  return createHash("sha256").update(text).digest("hex").slice(0, n);
}

/** Lowercase letters, digits and single hyphens. */
function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
}

/** `text` when it fits in `max`, else its head and a hash of the whole. */
function fit(text: string, max: number): string {
  if (text.length <= max) return text;
  const tail = hash(text, 8);
  return `${text.slice(0, max - tail.length - 1).replace(/-+$/, "")}-${tail}`;
}

/** Where the prebuilt images go inside a registry: `dstack/<project>/prebuilt` (ECR, ACR). */
export function imagePath(spec: Scope): string {
  return `dstack/${slug(spec.project) || "project"}/prebuilt`;
}

/** AWS IAM (account-wide, at most 64 characters): the role. */
export function awsRoleName(spec: Scope): string {
  return fit(`dstack-${slug(spec.project)}-${spec.region}-registry`, 64);
}

/** AWS IAM: the instance profile, named apart from the role (the fake cloud keys both by name). */
export function awsInstanceProfileName(spec: Scope): string {
  return fit(`dstack-${slug(spec.project)}-${spec.region}-instances`, 128);
}

/** GCP Artifact Registry repository id (per location, at most 63, a letter first). */
export function gcpRepositoryId(spec: Scope): string {
  return fit(`dstack-${slug(spec.project)}`, 63);
}

/**
 * GCP service account id (per GCP project, 6 to 30 characters): the project's name cut short, and a
 * hash of project and region, since no region fits in 30 characters beside a project name.
 */
export function gcpServiceAccountId(spec: Scope): string {
  const head = `dstack-${slug(spec.project)}`.slice(0, 23).replace(/-+$/, "");
  return `${head}-${hash(`${spec.project}/${spec.region}`, 6)}`;
}

/** Azure resource group of a registry that has none configured. */
export function azureGroupName(spec: Scope): string {
  return fit(`dstack-${slug(spec.project)}-registry-${spec.region}`, 90);
}

/** Azure managed identity (per resource group, 3 to 128 characters). */
export function azureIdentityName(spec: Scope): string {
  return fit(`dstack-${slug(spec.project)}-instances`, 128);
}

/**
 * Azure Container Registry names are global (the host `<name>.azurecr.io`), 5 to 50 letters and digits.
 * A project name alone would clash between teams, so the name ends in a hash of something unique to this
 * subscription and group: the ARM id of the registry's own managed identity.
 */
export function azureRegistryName(spec: Scope, identityId: string): string {
  const project = spec.project
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")
    .slice(0, 30);
  return `dstack${project}${hash(identityId.toLowerCase(), 10)}`;
}

/** A role assignment's name: a GUID, derived from what it grants so that it is stable across runs. */
export function roleAssignmentName(scope: string, role: string): string {
  const h = hash(`${scope.toLowerCase()}|${role}`, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
