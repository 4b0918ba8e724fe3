// setMocks for the registry stacks (issue 14): records every registration and answers with the outputs
// each cloud computes that the programs read back (ARNs and URLs, a service account's email and member,
// an identity's id and principal, a registry's login server), in the clouds' formats.
import * as pulumi from "@pulumi/pulumi";
import type { RegistryOutputs, RegistrySpec } from "../../../src/stacks/registry/registry-spec.js";

type Inputs = Record<string, unknown>;

export interface Registered {
  type: string;
  name: string;
  inputs: Inputs;
  provider: string | undefined;
  custom: boolean;
}

const registered: Registered[] = [];

function outputsOf(type: string, inputs: Inputs): { id: string; state: Inputs } {
  const s = (key: string): string => String(inputs[key]);
  switch (type) {
    case "aws:ecr/repository:Repository":
      return {
        id: s("name"),
        state: {
          ...inputs,
          arn: `arn:aws:ecr:us-east-1:123456789012:repository/${s("name")}`,
          repositoryUrl: `123456789012.dkr.ecr.us-east-1.amazonaws.com/${s("name")}`,
        },
      };
    case "aws:iam/role:Role":
    case "aws:iam/instanceProfile:InstanceProfile":
      return { id: s("name"), state: inputs };
    case "gcp:artifactregistry/repository:Repository":
      return {
        id: `projects/gproj/locations/${s("location")}/repositories/${s("repositoryId")}`,
        state: {
          ...inputs,
          project: "gproj",
          registryUri: `${s("location")}-docker.pkg.dev/gproj/${s("repositoryId")}`,
        },
      };
    case "gcp:serviceaccount/account:Account": {
      const email = `${s("accountId")}@gproj.iam.gserviceaccount.com`;
      return {
        id: `projects/gproj/serviceAccounts/${email}`,
        state: { ...inputs, email, member: `serviceAccount:${email}` },
      };
    }
    case "azure-native:resources:ResourceGroup":
      return {
        id: `/subscriptions/sub-1/resourceGroups/${s("resourceGroupName")}`,
        state: { ...inputs, name: inputs.resourceGroupName },
      };
    case "azure-native:managedidentity:UserAssignedIdentity":
      return {
        id: `/subscriptions/sub-1/resourceGroups/${s("resourceGroupName")}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${s("resourceName")}`,
        state: { ...inputs, principalId: "11111111-0000-4000-a000-000000000000" },
      };
    case "azure-native:containerregistry:Registry":
      return {
        id: `/subscriptions/sub-1/resourceGroups/${s("resourceGroupName")}/providers/Microsoft.ContainerRegistry/registries/${s("registryName")}`,
        state: { ...inputs, loginServer: `${s("registryName")}.azurecr.io` },
      };
    default:
      return { id: `${type.split(":").pop() ?? type}-id`, state: inputs };
  }
}

export async function installMocks(): Promise<void> {
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const inputs = args.inputs as Inputs;
        registered.push({
          type: args.type,
          name: args.name,
          inputs,
          provider: args.provider,
          custom: args.custom === true,
        });
        return outputsOf(args.type, inputs);
      },
      call(args) {
        throw new Error(`unexpected invoke ${args.token}: a registry stack looks nothing up`);
      },
    },
    "proj",
    "stack",
    false,
  );
}

function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

const waitForRPCs = (pulumi.runtime as unknown as { waitForRPCs: () => Promise<void> }).waitForRPCs;

/** Runs the registry program for a spec: its outputs and what it registered. */
export async function buildRegistry(
  spec: RegistrySpec,
): Promise<{ outputs: RegistryOutputs; resources: Registered[] }> {
  const { registryStack } = await import("../../../src/stacks/registry/program.js");
  registered.length = 0;
  const stack = await registryStack(spec);
  const outputs: RegistryOutputs = await promiseOf(
    pulumi.output(stack) as unknown as pulumi.Output<RegistryOutputs>,
  );
  await waitForRPCs();
  return { outputs, resources: [...registered] };
}

export function registrySpec(overrides: Partial<RegistrySpec> = {}): RegistrySpec {
  return {
    registry_spec_version: 1,
    project: "main",
    backend: "aws",
    region: "us-east-1",
    network: {},
    ...overrides,
  };
}

export function one(resources: Registered[], type: string): Registered {
  const found = resources.filter((r) => r.type === type);
  if (found.length !== 1) throw new Error(`expected one ${type}, got ${found.length}`);
  return found[0] as Registered;
}
