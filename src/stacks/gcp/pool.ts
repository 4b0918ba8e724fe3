// The GCP backend of a cloud pool: the spec's instances as Compute Engine VMs (or TPU VMs), its volumes
// as persistent disks, and one firewall rule, all under one component and one explicit provider. Only
// resources, no invokes (nothing is looked up at the cloud): the program is a pure function of the
// spec, which keeps previews exact and lets a fake provider stand in for GCP in tests.
import * as pulumi from "@pulumi/pulumi";
import type { PoolBuilder } from "../backend.js";
import { instanceKeys, type PoolOutputs } from "../pool-spec.js";
import { GcpPoolComponent } from "./component.js";
import type { GcpPoolContext } from "./context.js";
import { poolFirewall } from "./firewall.js";
import { computeInstance } from "./instance.js";
import { instanceMetadata } from "./metadata.js";
import { gcpProvider } from "./provider.js";
import { maxPriceWarning } from "./scheduling.js";
import { tpuInstance } from "./tpu.js";
import { assertValidGcpPool } from "./validate.js";
import { poolVolumes } from "./volumes.js";

export const gcpPool: PoolBuilder = (spec, { agentSource }) => {
  assertValidGcpPool(spec);
  // User data first: an oversized document is refused before the pool registers anything.
  const metadata = new Map(
    spec.instances.map((i) => [
      i.name,
      instanceMetadata(spec, i.name, agentSource, i.idle_duration_s ?? null, instanceKeys(spec, i)),
    ]),
  );
  const component = new GcpPoolComponent(spec.pool);
  const provider = gcpProvider(spec, component);
  const ctx: GcpPoolContext = {
    spec,
    scope: { project: spec.project, pool: spec.pool },
    opts: { parent: component, provider },
  };
  const firewall = poolFirewall(ctx);
  const volumes = poolVolumes(ctx);
  const instances = spec.instances.map((instance) => {
    const warning = maxPriceWarning(instance);
    if (warning !== null) void pulumi.log.warn(warning, component);
    const data = metadata.get(instance.name) ?? {};
    return instance.tpu
      ? tpuInstance(ctx, instance, volumes, data)
      : computeInstance(ctx, instance, volumes, data);
  });
  const outputs: pulumi.Output<PoolOutputs> = pulumi
    // The firewall is part of "ready": an instance is of no use until SSH reaches it.
    .all([pulumi.all(instances), firewall.id, pulumi.all([...volumes.values()].map((v) => v.id))])
    .apply(([instanceOutputs, , volumeIds]) => ({
      instances: instanceOutputs,
      volumes: [...volumes.keys()].map((name, n) => ({ name, id: volumeIds[n] ?? "" })),
    }));
  component.complete({ outputs });
  return outputs;
};
