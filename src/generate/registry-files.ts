// The registry part of a generated project (issue 14): a second Pulumi project in `registry/`, beside
// the pool's. A Pulumi project has one program, and the registry must not live in the pool's: it
// belongs to the dstack project, is shared by its pools, outlives them, and holds images a pool's
// `pulumi destroy` must never delete. The pool's stack reads its identity through a stack reference.
import type { PoolSpec } from "../stacks/pool-spec.js";
import { awsInstanceProfileName, imagePath } from "../stacks/registry/names.js";
import { registryProjectName, registrySpecOf, type RegistrySpec } from "../stacks/registry/registry-spec.js";

export const REGISTRY_DIR = "registry";
export const REGISTRY_SPEC_FILE = "dstack-registry.json";

/** The registry of the pool's dstack project, on the pool's cloud and in its region. */
export function registrySpecFor(pool: PoolSpec): RegistrySpec {
  return registrySpecOf(pool.project, pool.backend, pool.region, pool.network);
}

/** The pool's `dstack:registryStack` setting: the registry project's stack of the same name. */
export function registryStackSetting(spec: RegistrySpec, stack: string): string {
  return `${registryProjectName(spec)}/${stack}`;
}

/** One sentence (for the README) of what the registry stack creates. */
export function registrySummary(spec: RegistrySpec): string {
  switch (spec.backend) {
    case "aws":
      return `an ECR repository \`${imagePath(spec)}\`, and an IAM role whose only rights are an ECR login and pull/push in that repository, which instances take through the instance profile \`${awsInstanceProfileName(spec)}\``;
    case "gcp":
      return "an Artifact Registry Docker repository and a service account with `roles/artifactregistry.writer` on that repository only, which the instances run as (scope cloud-platform: IAM decides)";
    case "azure":
      return "a Basic Azure Container Registry with its admin user disabled, and a user-assigned managed identity with AcrPush (pull and push) on that registry only, which the VMs carry";
  }
}
