// The package's library entry for Pulumi programs (`import { poolStack } from "dstack/stacks"`), bundled
// as dist/stacks.js: what generated projects and the repository-root Pulumi.yaml call.
export { poolStack, checkPoolSpec } from "./pool-stack.js";
export type { PoolSpec, PoolOutputs } from "./pool-spec.js";
