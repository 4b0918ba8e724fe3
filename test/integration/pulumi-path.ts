// Where the integration tests find the real Pulumi CLI: on PATH or in the cache `scripts/ensure-pulumi`
// fills (see src/engine/pulumi-cli.ts). A missing CLI is a failure that says how to fix it, never a skip.
import {
  cachedPulumiBinDir,
  findPulumi,
  pinnedPulumiVersion,
  type PulumiCli,
} from "../../src/engine/pulumi-cli.js";

export function requirePulumi(): PulumiCli {
  const cli = findPulumi();
  if (cli === undefined) {
    const version = pinnedPulumiVersion();
    throw new Error(
      `Pulumi CLI v${version} not found on PATH nor in ${cachedPulumiBinDir(version)}: run ./scripts/ensure-pulumi`,
    );
  }
  return cli;
}
