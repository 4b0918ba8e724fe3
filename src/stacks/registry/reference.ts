// A pool's side of the registry in a generated project: the registry stack's `instance_identity`
// output, read through a stack reference when the pool stack runs, and put into the pool spec as plain
// data. The pool then launches its instances with that identity. Read once per run; a registry stack
// that was never applied is an error that says what to do, not a pool without rights.
import * as pulumi from "@pulumi/pulumi";
import type { RegistryIdentity } from "./registry-spec.js";

/** `project/stack` gets the pool stack's own organization (`organization` on a self-managed backend). */
export function qualifiedStackName(name: string, organization: () => string): string {
  return name.split("/").length >= 3 ? name : `${organization()}/${name}`;
}

export async function registryIdentity(stack: string): Promise<RegistryIdentity> {
  const name = qualifiedStackName(stack, pulumi.getOrganization);
  const reference = new pulumi.StackReference("registry", { name });
  const details = await reference.getOutputDetails("instance_identity");
  const value = (details.value ?? details.secretValue) as RegistryIdentity | undefined;
  if (value === undefined || typeof value !== "object")
    throw new Error(
      `the registry stack ${name} has no output instance_identity: run \`pulumi up\` in the registry folder first (or remove dstack:registryStack from this stack's settings to run without registry rights)`,
    );
  return value;
}
