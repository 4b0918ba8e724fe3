// The compiled description of a project's container registry on one cloud (issue 14): where the
// prebuilt images of `build` live, and the identity instances get to pull and push them. One registry per
// dstack project, backend and region (ECR and Artifact Registry are regional; an Azure registry has a
// location), in a Pulumi stack of its own: it outlives every pool, and destroying a pool never touches
// images. Plain data, like PoolSpec; no secret ever belongs here.
import type { CloudBackend, NetworkSettings } from "../pool-spec.js";

export const REGISTRY_SPEC_VERSION = 1;

export interface RegistrySpec {
  registry_spec_version: typeof REGISTRY_SPEC_VERSION;
  /** The dstack project, used in names and tags. */
  project: string;
  backend: CloudBackend;
  /** AWS region, GCP region (the repository's location), Azure location. */
  region: string;
  /** Only the account settings apply: GCP project, Azure subscription and resource group. */
  network: Pick<NetworkSettings, "project" | "subscription_id" | "resource_group">;
}

/**
 * What an instance needs to pull and push without credentials in its user data: the cloud gives the
 * identity's short-lived tokens to the VM itself (instance metadata). Exactly one field is set, the
 * registry's cloud's; a pool spec carries the same object (`PoolSpec.registry`).
 */
export interface RegistryIdentity {
  /** AWS: the IAM instance profile the instances are launched with. */
  aws_instance_profile?: string;
  /** GCP: the service account e-mail the instances run as. */
  gcp_service_account?: string;
  /** Azure: the ARM id of the user-assigned managed identity the VMs carry. */
  azure_identity_id?: string;
}

/** What a registry stack exports (`pulumi stack output`), the same shape on every cloud. */
export interface RegistryOutputs {
  /** The registry host, as `docker login` and image references name it. */
  registry: string;
  /** The repository prebuilt images are pushed to, without tag: images are `<repository>:<key>`. */
  repository: string;
  instance_identity: RegistryIdentity;
}

/** The registry of a dstack project in one backend and region; of the network, only the account settings. */
export function registrySpecOf(
  project: string,
  backend: CloudBackend,
  region: string,
  network: NetworkSettings,
): RegistrySpec {
  const { project: gcpProject, subscription_id, resource_group } = network;
  return {
    registry_spec_version: REGISTRY_SPEC_VERSION,
    project,
    backend,
    region,
    network: {
      ...(gcpProject === undefined ? {} : { project: gcpProject }),
      ...(subscription_id === undefined ? {} : { subscription_id }),
      ...(resource_group === undefined ? {} : { resource_group }),
    },
  };
}

/** The Pulumi project of a registry stack: per backend, like the pools' (project-name.ts). */
export function registryProjectName(spec: Pick<RegistrySpec, "project" | "backend">): string {
  return `dstack-${spec.project}-${spec.backend}-registry`.toLowerCase().replace(/[^a-z0-9-]/g, "-");
}

/** Refuses a spec this version cannot build, naming what to do. */
export function checkRegistrySpec(value: unknown): RegistrySpec {
  const spec = value as Partial<RegistrySpec> | null;
  if (spec === null || typeof spec !== "object") throw new Error("the registry spec is not a JSON object");
  if (spec.registry_spec_version !== REGISTRY_SPEC_VERSION)
    throw new Error(
      `registry spec version ${String(spec.registry_spec_version)} is not ${REGISTRY_SPEC_VERSION}: regenerate the stack with this dstack (dstack generate), or pin the dstack version that wrote it`,
    );
  if (!["aws", "gcp", "azure"].includes(String(spec.backend)))
    throw new Error(`unknown backend ${JSON.stringify(spec.backend)} (one of aws, gcp, azure)`);
  if (typeof spec.project !== "string" || typeof spec.region !== "string")
    throw new Error("the registry spec needs `project` and `region`");
  return { ...spec, network: spec.network ?? {} } as RegistrySpec;
}
