// The package's library entry for Pulumi programs (`import { poolStack } from "dstack/stacks"`), bundled
// as dist/stacks.js: what generated projects and the repository-root Pulumi.yaml call.
export { poolStack, checkPoolSpec } from "./pool-stack.js";
export type { PoolSpec, PoolOutputs } from "./pool-spec.js";
export { registryStack } from "./registry/program.js";
export { registryIdentity } from "./registry/reference.js";
export type { RegistrySpec, RegistryOutputs, RegistryIdentity } from "./registry/registry-spec.js";
