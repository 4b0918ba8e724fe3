// The repository-root Pulumi.yaml's program (bundled as dist/pulumi-program.js): the same stack builder
// the CLI runs inline, with the compiled pool spec read from stack config `dstack:spec` (an object), e.g.
//   pulumi config set --path dstack:spec ... or a Pulumi.<stack>.yaml written by `dstack generate`.
import * as pulumi from "@pulumi/pulumi";
import { poolStack } from "./pool-stack.js";

export default async function program(): Promise<Record<string, unknown>> {
  const spec = new pulumi.Config("dstack").requireObject<unknown>("spec");
  const keys = new pulumi.Config("dstack").getObject<string[]>("sshPublicKeys");
  const withKeys =
    keys === undefined ? spec : { ...(spec as Record<string, unknown>), ssh_public_keys: keys };
  return poolStack(withKeys);
}
