// A project's registry on GCP: an Artifact Registry Docker repository in the region, and a service
// account that may read and write it (roles/artifactregistry.writer on that repository only, nothing
// project-wide). Instances run as that account; the metadata server gives them its tokens, so nothing
// secret goes into user data.
import { Repository } from "@pulumi/gcp/artifactregistry/repository.js";
import { RepositoryIamMember } from "@pulumi/gcp/artifactregistry/repositoryIamMember.js";
import { Provider } from "@pulumi/gcp/provider.js";
import { Account } from "@pulumi/gcp/serviceaccount/account.js";
import * as pulumi from "@pulumi/pulumi";
import { gcpLabelValue, registryTags } from "../tags.js";
import { gcpRepositoryId, gcpServiceAccountId } from "./names.js";
import type { RegistryOutputs, RegistrySpec } from "./registry-spec.js";

/** Pull and push (the writer role includes the reader's). */
export const AR_ROLE = "roles/artifactregistry.writer";

export class GcpRegistry extends pulumi.ComponentResource {
  readonly outputs: pulumi.Output<RegistryOutputs>;

  constructor(spec: RegistrySpec) {
    super("dstack:gcp:Registry", "registry", {}, {});
    const labels = Object.fromEntries(
      Object.entries(registryTags(spec.project)).map(([k, v]) => [k, gcpLabelValue(v)]),
    );
    const provider = new Provider(
      "registry-gcp",
      // Absent project: the provider's usual sources (GOOGLE_CLOUD_PROJECT, gcloud's configuration).
      { project: spec.network.project, region: spec.region, defaultLabels: labels },
      { parent: this },
    );
    const opts: pulumi.CustomResourceOptions = { parent: this, provider };
    const repository = new Repository(
      "prebuilt",
      {
        repositoryId: gcpRepositoryId(spec),
        location: spec.region,
        format: "DOCKER",
        description: `dstack ${spec.project}: prebuilt environments`,
        labels,
      },
      opts,
    );
    const account = new Account(
      "instances",
      {
        accountId: gcpServiceAccountId(spec),
        displayName: `dstack ${spec.project} instances (${spec.region})`,
        description: "dstack instances: pull and push prebuilt images",
      },
      opts,
    );
    new RepositoryIamMember(
      "instances-writer",
      {
        repository: repository.repositoryId,
        location: repository.location,
        project: repository.project,
        role: AR_ROLE,
        member: account.member,
      },
      opts,
    );
    this.outputs = pulumi.output({
      // The host of the repository's endpoint (`<region>-docker.pkg.dev`), as the cloud reports it.
      registry: repository.registryUri.apply((uri) => uri.split("/")[0] ?? uri),
      repository: repository.registryUri.apply((uri) => `${uri}/prebuilt`),
      instance_identity: { gcp_service_account: account.email },
    });
    this.registerOutputs({ outputs: this.outputs });
  }
}

export const gcpRegistry = (spec: RegistrySpec): pulumi.Output<RegistryOutputs> =>
  new GcpRegistry(spec).outputs;
