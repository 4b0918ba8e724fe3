// What bench/cloud-preview.mjs needs from the sources, bundled as one module (@pulumi/* stay external).
export { findPulumi, pulumiEnv } from "../src/engine/pulumi-cli.js";
export { preview } from "../src/engine/stack-runner.js";
export { resolveStateBackend } from "../src/engine/state-backend.js";
export { poolStack } from "../src/stacks/pool-stack.js";
export { installFakeCloud, fakeCloudEnv } from "../test/fake-cloud/install.js";
