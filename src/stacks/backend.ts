// The one interface every cloud backend implements: a pool spec in, the pool's resources registered,
// its outputs out. Callers never branch on the cloud; they load the builder by name (lazily, so a
// cloud's Pulumi package loads only when that cloud is used).
import type * as pulumi from "@pulumi/pulumi";
import type { CloudBackend, PoolOutputs, PoolSpec } from "./pool-spec.js";

export interface BuildContext {
  /** The runtime agent bundle (JavaScript source) that user data carries. */
  agentSource: string;
}

export type PoolBuilder = (spec: PoolSpec, ctx: BuildContext) => pulumi.Output<PoolOutputs>;

export async function loadPoolBuilder(backend: CloudBackend): Promise<PoolBuilder> {
  switch (backend) {
    case "aws":
      return (await import("./aws/pool.js")).awsPool;
    case "gcp":
      return (await import("./gcp/pool.js")).gcpPool;
    case "azure":
      return (await import("./azure/pool.js")).azurePool;
  }
}
