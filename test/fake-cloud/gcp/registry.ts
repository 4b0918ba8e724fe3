// gcp:artifactregistry/repository:Repository and gcp:artifactregistry/repositoryIamMember:
// RepositoryIamMember: an Artifact Registry repository in a location, and one member's role on it.
// Images are not modelled. Deleting a repository deletes its IAM policy (the members' records go too).
import type { Checker } from "../core/check-kit.js";
import { hexOf } from "../core/hash.js";
import type { Ctx, ResourceKind } from "../core/kind.js";
import { dataPlaneHost } from "../core/data-plane.js";
import { generated } from "../core/render.js";
import { str, type JsonObject } from "../core/values.js";
import { googleApiError, projectOf } from "./common.js";
import { effectiveLabels, type GcpConfig } from "./config.js";
import { SERVICE_ACCOUNT } from "./iam.js";

export const AR_REPOSITORY = "gcp:artifactregistry/repository:Repository";
export const AR_IAM_MEMBER = "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember";
const FORMATS = ["DOCKER", "MAVEN", "NPM", "PYTHON", "APT", "YUM", "GO", "KFP", "GENERIC"];
const MODES = ["STANDARD_REPOSITORY", "VIRTUAL_REPOSITORY", "REMOTE_REPOSITORY"];
const REPOSITORY_ID_RE = /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const CREATED = "2025-01-01T00:00:00.000000Z";

function locationOf(inputs: JsonObject, config: GcpConfig): string | undefined {
  return str(inputs.location) ?? config.region;
}

function checkProjectAndLocation(c: Checker, config: GcpConfig): void {
  if (projectOf(c.inputs, config) === undefined)
    c.fail(
      "project",
      "project: required field is not set (set it on the resource, on the provider, or in GOOGLE_PROJECT)",
    );
  c.type("location", "string");
  if (locationOf(c.inputs, config) === undefined)
    c.fail("location", "Cannot determine location: set in this resource, or set provider-level region.");
}

function repositoryPath(project: string, location: string, repository: string): string {
  return `projects/${project}/locations/${location}/repositories/${repository}`;
}

/** The repository a member names: a full path as it is, a bare id in the member's (or provider's) place. */
function memberRepository(inputs: JsonObject, config: GcpConfig): string {
  const repository = str(inputs.repository) ?? "";
  if (repository.startsWith("projects/")) return repository;
  return repositoryPath(projectOf(inputs, config) ?? "", locationOf(inputs, config) ?? "", repository);
}

/** A Docker repository's endpoint: Artifact Registry's own, or a path of the loopback data plane. */
function dockerRegistryUri(location: string, project: string, repositoryId: string): string {
  const plane = dataPlaneHost();
  return plane === undefined
    ? `${location}-docker.pkg.dev/${project}/${repositoryId}`
    : `${plane}/gcp/${location}/${project}/${repositoryId}`;
}

export const gcpArtifactRepository: ResourceKind<GcpConfig> = {
  type: AR_REPOSITORY,
  replaceOn: ["repositoryId", "location", "format", "project", "mode", "kmsKeyName"],
  check: (c, config) => {
    checkProjectAndLocation(c, config);
    c.required("repositoryId", "string");
    c.required("format", "string");
    c.oneOf("format", FORMATS);
    c.oneOf("mode", MODES);
    c.type("description", "string");
    c.type("labels", "object");
    c.type("dockerConfig", "object");
    c.type("cleanupPolicies", "array");
  },
  id: (inputs, _serial, ctx) =>
    repositoryPath(
      projectOf(inputs, ctx.config) ?? "",
      locationOf(inputs, ctx.config) ?? "",
      str(inputs.repositoryId) ?? "",
    ),
  render: (inputs, _ident, ctx) => {
    const project = projectOf(inputs, ctx.config) ?? "";
    const location = locationOf(inputs, ctx.config) ?? "";
    const repositoryId = str(inputs.repositoryId) ?? "";
    const labels = effectiveLabels(ctx.config, inputs);
    return {
      ...inputs,
      id: repositoryPath(project, location, repositoryId),
      name: repositoryId,
      project,
      location,
      mode: inputs.mode ?? "STANDARD_REPOSITORY",
      // Only Docker repositories are modelled with their endpoint; other formats have other hosts.
      registryUri: str(inputs.format) === "DOCKER" ? dockerRegistryUri(location, project, repositoryId) : "",
      createTime: CREATED,
      updateTime: CREATED,
      deletionPolicy: "DELETE",
      effectiveLabels: labels,
      pulumiLabels: labels,
    };
  },
  beforeCreate: (inputs) => {
    const repositoryId = str(inputs.repositoryId) ?? "";
    if (!REPOSITORY_ID_RE.test(repositoryId))
      throw googleApiError(
        "creating Repository",
        400,
        `Invalid repository ID '${repositoryId}': it must start with a lowercase letter, contain only lowercase letters, digits and hyphens, end with a letter or digit, and be at most 63 characters`,
        "badRequest",
      );
  },
  cascade: (res, ctx) =>
    Object.values(ctx.resources)
      .filter((r) => r.type === AR_IAM_MEMBER && memberRepository(r.inputs, ctx.config) === res.id)
      .map((r) => r.id),
};

function memberId(inputs: JsonObject, config: GcpConfig): string {
  return `${memberRepository(inputs, config)}/${str(inputs.role) ?? ""}/${str(inputs.member) ?? ""}`;
}

function checkMemberRefs(inputs: JsonObject, ctx: Ctx<GcpConfig>): void {
  const repository = memberRepository(inputs, ctx.config);
  const doing = `applying IAM policy for artifactregistry repository "${repository}"`;
  if (ctx.resources[repository]?.type !== AR_REPOSITORY)
    throw googleApiError(doing, 404, `Requested entity was not found.`, "notFound");
  const member = str(inputs.member) ?? "";
  if (!member.startsWith("serviceAccount:")) return;
  const email = member.slice("serviceAccount:".length);
  if (!Object.values(ctx.resources).some((r) => r.type === SERVICE_ACCOUNT && r.outputs.email === email))
    throw googleApiError(doing, 400, `Service account ${email} does not exist.`, "badRequest");
}

export const gcpArtifactRepositoryIamMember: ResourceKind<GcpConfig> = {
  type: AR_IAM_MEMBER,
  replaceOn: ["repository", "role", "member", "location", "project", "condition"],
  check: (c) => {
    c.required("repository", "string");
    c.required("role", "string");
    c.required("member", "string");
    const role = str(c.get("role"));
    if (role !== undefined && !/^(roles|projects\/[^/]+\/roles|organizations\/[^/]+\/roles)\//.test(role))
      c.fail("role", `"role" is "${role}"; expected roles/<name> or a custom role's path`);
    const member = str(c.get("member"));
    if (
      member !== undefined &&
      !/^(allUsers|allAuthenticatedUsers|(user|serviceAccount|group|domain|principal|principalSet):.+)$/.test(
        member,
      )
    )
      c.fail(
        "member",
        `"member" is "${member}"; expected user:, serviceAccount:, group:, domain: or allUsers`,
      );
  },
  id: (inputs, _serial, ctx) => memberId(inputs, ctx.config),
  render: (inputs, ident, ctx) => {
    const repository = memberRepository(inputs, ctx.config);
    const [, project = "", , location = ""] = repository.split("/");
    return {
      ...inputs,
      id: memberId(inputs, ctx.config),
      repository,
      project,
      location,
      etag: generated(ident, (i) => `BwY${hexOf(`etag:${i.serial}`, 9)}=`),
    };
  },
  beforeCreate: (inputs, _id, ctx) => checkMemberRefs(inputs, ctx),
};
