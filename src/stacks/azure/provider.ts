// The pool's own azure-native provider: the region and subscription come from the spec, never from the
// machine's ambient configuration, so a generated stack deploys the same way wherever it runs. Without a
// subscription id the provider falls back to ARM_SUBSCRIPTION_ID / `az login`.
import type * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/azure-native/provider.js";
import type { PoolSpec } from "../pool-spec.js";

export function poolProvider(spec: PoolSpec, parent: pulumi.Resource): Provider {
  return new Provider(
    `${spec.pool}-azure`,
    {
      location: spec.region,
      ...(spec.network.subscription_id === undefined ? {} : { subscriptionId: spec.network.subscription_id }),
    },
    { parent },
  );
}
