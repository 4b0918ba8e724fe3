// What every GCP resource builder of a pool needs: the spec, the pool's tag scope, and the resource
// options (the pool component as parent, the pool's explicit provider) that each resource must carry.
import type * as pulumi from "@pulumi/pulumi";
import type { PoolSpec } from "../pool-spec.js";
import type { TagScope } from "../tags.js";

export interface GcpPoolContext {
  spec: PoolSpec;
  /** `{project, pool}`: extended with `instance` or `volume` for per-instance and per-volume resources. */
  scope: TagScope;
  /** Parent and provider, so no resource ever falls back to the ambient default provider. */
  opts: pulumi.CustomResourceOptions;
}
