// The pool's component: the parent of every resource of the pool, so `pulumi stack` shows one tree per
// pool and the URNs of its children stay stable whatever else the stack holds.
import * as pulumi from "@pulumi/pulumi";

export const GCP_POOL_TYPE = "dstack:gcp:Pool";

export class GcpPoolComponent extends pulumi.ComponentResource {
  constructor(name: string) {
    super(GCP_POOL_TYPE, name, {}, {});
  }

  /** Marks the component complete, with the pool's outputs recorded on it in the state. */
  complete(outputs: pulumi.Inputs): void {
    this.registerOutputs(outputs);
  }
}
