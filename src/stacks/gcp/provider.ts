// One explicit provider per pool: the project and region come from the spec, not from whatever gcloud
// or the environment happens to say, and the pool's labels are applied by the provider itself
// (defaultLabels) so that no labelled resource can miss them. Resources still set their own labels,
// which add dstack-instance / dstack-volume on top.
import type * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/gcp/provider.js";
import type { PoolSpec } from "../pool-spec.js";
import { gcpLabels } from "../tags.js";

export function gcpProvider(spec: PoolSpec, parent: pulumi.Resource): Provider {
  return new Provider(
    spec.pool,
    {
      // Absent: the provider's usual sources (GOOGLE_CLOUD_PROJECT, gcloud's configuration).
      project: spec.network.project,
      region: spec.region,
      defaultLabels: gcpLabels({ project: spec.project, pool: spec.pool }),
    },
    { parent },
  );
}
