// A volume's own stack on Azure: the provider, one managed disk (not retained: see volume-builder.ts)
// and, unless ~/.dstack/config.yml names a resource group, a resource group of its own for it. That
// group is not retained either: it holds only this disk, so `dstack volume delete` leaves nothing.
import * as pulumi from "@pulumi/pulumi";
import * as resources from "@pulumi/azure-native/resources/index.js";
import type { PoolSpec } from "../pool-spec.js";
import { ownVolumeOf, type VolumeBuilder, type VolumeOutputs } from "../volume-builder.js";
import { azureName } from "./names.js";
import { poolProvider } from "./provider.js";
import { poolTags, type PoolScope } from "./scope.js";
import { volumeDisk } from "./volumes.js";

export class AzureOwnVolume extends pulumi.ComponentResource {
  readonly outputs: pulumi.Output<VolumeOutputs>;

  constructor(spec: PoolSpec) {
    super("dstack:azure:Volume", spec.pool, {}, {});
    const volume = ownVolumeOf(spec);
    const provider = poolProvider(spec, this);
    const opts: pulumi.CustomResourceOptions = { parent: this, provider };
    const resourceGroupName =
      spec.network.resource_group ??
      new resources.ResourceGroup(
        `${spec.pool}-rg`,
        { resourceGroupName: azureName(spec), location: spec.region, tags: poolTags(spec) },
        opts,
      ).name;
    const scope: PoolScope = { spec, resourceGroupName, opts };
    const disk = volumeDisk(scope, volume, { retain: false });
    this.outputs = pulumi.output({ volume_id: disk.id, zone: volume.zone ?? "" });
    this.registerOutputs({ outputs: this.outputs });
  }
}

export const azureOwnVolume: VolumeBuilder = (spec) => new AzureOwnVolume(spec).outputs;
