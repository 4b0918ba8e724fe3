// The program of a project's registry stack, for every way it runs: the CLI's inline program (later),
// a generated project's `registry/` program (`dstack generate`). Each cloud's builder loads lazily, so a
// registry on one cloud never loads another cloud's package.
import type * as pulumi from "@pulumi/pulumi";
import type { PulumiFn } from "@pulumi/pulumi/automation/index.js";
import type { CloudBackend } from "../pool-spec.js";
import { checkRegistrySpec, type RegistryOutputs, type RegistrySpec } from "./registry-spec.js";

type RegistryBuilder = (spec: RegistrySpec) => pulumi.Output<RegistryOutputs>;

async function loadRegistryBuilder(backend: CloudBackend): Promise<RegistryBuilder> {
  switch (backend) {
    case "aws":
      return (await import("./aws.js")).awsRegistry;
    case "gcp":
      return (await import("./gcp.js")).gcpRegistry;
    case "azure":
      return (await import("./azure.js")).azureRegistry;
  }
}

/** Registers the registry's resources; returns the stack outputs (`registry`, `repository`, `instance_identity`). */
export async function registryStack(spec: unknown): Promise<{
  registry: pulumi.Output<string>;
  repository: pulumi.Output<string>;
  instance_identity: pulumi.Output<RegistryOutputs["instance_identity"]>;
}> {
  const checked = checkRegistrySpec(spec);
  const build = await loadRegistryBuilder(checked.backend);
  const outputs = build(checked);
  return {
    registry: outputs.apply((o) => o.registry),
    repository: outputs.apply((o) => o.repository),
    instance_identity: outputs.apply((o) => o.instance_identity),
  };
}

export function cloudRegistryProgram(spec: RegistrySpec): PulumiFn {
  return () => registryStack(spec);
}
