// The Pulumi project of a cloud pool: per backend too, so one configuration used on two clouds shares
// no state. `dstack generate` writes it into Pulumi.yaml and `apply` of a fleet runs its stack under it.
import type { PoolSpec } from "./pool-spec.js";

export function projectName(spec: Pick<PoolSpec, "project" | "backend" | "pool">): string {
  return `dstack-${spec.project}-${spec.backend}-${spec.pool}`.toLowerCase().replace(/[^a-z0-9-]/g, "-");
}
