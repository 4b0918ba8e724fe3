// The pool's explicit AWS provider: its region is the spec's, and its defaultTags tag anything the
// provider creates with the pool's dstack tags, so even a resource added later without tags is found
// by `dstack-managed=true` in the console.
import type * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/aws/provider.js";
import type { PoolSpec } from "../pool-spec.js";
import { cloudTags } from "../tags.js";
import { poolScope } from "./context.js";

export function awsProvider(spec: PoolSpec, parent: pulumi.Resource): Provider {
  return new Provider(
    `${spec.pool}-aws`,
    { region: spec.region, defaultTags: { tags: cloudTags(poolScope(spec)) } },
    { parent },
  );
}
