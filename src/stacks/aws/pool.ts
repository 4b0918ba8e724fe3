// The AWS backend of a cloud pool: one component per pool holding its provider, security group, key
// pair, instances and volumes. Logical names come from the spec's own names, so running a changed spec
// updates what AWS can update in place instead of recreating the pool.
import * as pulumi from "@pulumi/pulumi";
import type { BuildContext, PoolBuilder } from "../backend.js";
import type { PoolOutputs, PoolSpec } from "../pool-spec.js";
import type { AwsPoolContext } from "./context.js";
import { AwsImages } from "./image.js";
import { poolInstance, type PoolInstance } from "./instance.js";
import { poolKeyPair } from "./key-pair.js";
import { AwsNetwork } from "./network.js";
import { awsProvider } from "./provider.js";
import { poolSecurityGroup, SSH_PORT } from "./security-group.js";
import { poolVolumes } from "./volumes.js";

/** User data authorizes the keys for root (see cloud-user-data.ts), so that is who logs in. */
export const AWS_SSH_USER = "root";

export class AwsPool extends pulumi.ComponentResource {
  readonly outputs: pulumi.Output<PoolOutputs>;

  constructor(spec: PoolSpec, build: BuildContext) {
    super("dstack:aws:Pool", spec.pool, {}, {});
    const provider = awsProvider(spec, this);
    const ctx: AwsPoolContext = {
      spec,
      resourceOpts: { parent: this, provider },
      invokeOpts: { parent: this, provider },
    };
    const network = new AwsNetwork(ctx);
    const deps = {
      network,
      images: new AwsImages(ctx),
      securityGroup: poolSecurityGroup(ctx, network),
      keyPair: poolKeyPair(ctx),
      build,
    };
    const instances: PoolInstance[] = spec.instances.map((instance, index) => ({
      spec: instance,
      resource: poolInstance(ctx, deps, instance, index),
    }));
    const volumes = poolVolumes(ctx, network, instances);

    this.outputs = pulumi.output({
      instances: instances.map(({ spec: instance, resource }) => ({
        name: instance.name,
        id: resource.id,
        zone: resource.availabilityZone,
        public_ip: resource.publicIp,
        private_ip: resource.privateIp,
        ssh_user: AWS_SSH_USER,
        ssh_port: SSH_PORT,
        spot: instance.spot,
      })),
      volumes,
    });
    this.registerOutputs({ outputs: this.outputs });
  }
}

export const awsPool: PoolBuilder = (spec, build) => new AwsPool(spec, build).outputs;
