// The Azure backend of a cloud pool: one component per pool (type dstack:azure:Pool) holding its
// provider, resource group, network, volumes and instances; its outputs are the shape every backend
// exports. Resource types used (the fake provider plugin implements exactly these):
// resources:ResourceGroup, network:{VirtualNetwork,Subnet,NetworkSecurityGroup,PublicIPAddress,
// NetworkInterface}, compute:{VirtualMachine,Disk}. No invokes: everything is known from the spec.
import * as pulumi from "@pulumi/pulumi";
import type { BuildContext, PoolBuilder } from "../backend.js";
import type { PoolOutputs, PoolSpec } from "../pool-spec.js";
import { instanceOutput, poolInstance } from "./instance.js";
import { checkDistinctNames } from "./names.js";
import { poolNetwork } from "./network.js";
import { poolProvider } from "./provider.js";
import { poolResourceGroup } from "./resource-group.js";
import type { PoolScope } from "./scope.js";
import { poolVolumes } from "./volumes.js";

export const AZURE_POOL_TYPE = "dstack:azure:Pool";

export class AzurePool extends pulumi.ComponentResource {
  readonly outputs: pulumi.Output<PoolOutputs>;

  constructor(spec: PoolSpec, ctx: BuildContext, opts?: pulumi.ComponentResourceOptions) {
    super(AZURE_POOL_TYPE, spec.pool, {}, opts);
    checkDistinctNames(spec);
    const provider = poolProvider(spec, this);
    const resourceOpts: pulumi.CustomResourceOptions = { parent: this, provider };
    const scope: PoolScope = {
      spec,
      resourceGroupName: poolResourceGroup(spec, resourceOpts),
      opts: resourceOpts,
    };
    const subnetId = poolNetwork(scope);
    const diskIds = poolVolumes(scope);
    const instances = spec.instances.map((instance) =>
      instanceOutput(instance, poolInstance(scope, ctx, instance, subnetId, diskIds)),
    );
    this.outputs = pulumi.output({
      instances,
      volumes: [...diskIds].map(([name, id]) => ({ name, id })),
    });
    this.registerOutputs({ outputs: this.outputs });
  }
}

export const azurePool: PoolBuilder = (spec, ctx) => new AzurePool(spec, ctx).outputs;
