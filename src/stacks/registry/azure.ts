// A project's registry on Azure: a Container Registry (Basic, admin user off: no password exists to
// leak), a user-assigned managed identity, and AcrPush (pull and push) for that identity on that
// registry. VMs carry the identity; Azure's instance metadata service gives them its tokens, so nothing
// secret goes into custom data. Unless config.yml names a resource group, the registry has its own.
import * as authorization from "@pulumi/azure-native/authorization/index.js";
import * as containerregistry from "@pulumi/azure-native/containerregistry/index.js";
import * as managedidentity from "@pulumi/azure-native/managedidentity/index.js";
import { Provider } from "@pulumi/azure-native/provider.js";
import * as resources from "@pulumi/azure-native/resources/index.js";
import * as pulumi from "@pulumi/pulumi";
import { registryTags } from "../tags.js";
import { azureGroupName, azureIdentityName, azureRegistryName, roleAssignmentName } from "./names.js";
import type { RegistryOutputs, RegistrySpec } from "./registry-spec.js";

/** The built-in AcrPush role (pull and push), the same GUID in every tenant. */
export const ACR_PUSH_ROLE = "8311e382-0749-4cb8-b61a-304f252e45ec";

/** The role's definition id in the registry's subscription, taken from the registry's own ARM id. */
export function acrPushDefinition(registryId: string): string {
  const subscription = /^\/subscriptions\/[^/]+/i.exec(registryId)?.[0] ?? "";
  return `${subscription}/providers/Microsoft.Authorization/roleDefinitions/${ACR_PUSH_ROLE}`;
}

export class AzureRegistry extends pulumi.ComponentResource {
  readonly outputs: pulumi.Output<RegistryOutputs>;

  constructor(spec: RegistrySpec) {
    super("dstack:azure:Registry", "registry", {}, {});
    const tags = registryTags(spec.project);
    const provider = new Provider(
      "registry-azure",
      {
        location: spec.region,
        ...(spec.network.subscription_id === undefined
          ? {}
          : { subscriptionId: spec.network.subscription_id }),
      },
      { parent: this },
    );
    const opts: pulumi.CustomResourceOptions = { parent: this, provider };
    const resourceGroupName =
      spec.network.resource_group ??
      new resources.ResourceGroup(
        "registry-rg",
        { resourceGroupName: azureGroupName(spec), location: spec.region, tags },
        opts,
      ).name;
    const identity = new managedidentity.UserAssignedIdentity(
      "instances",
      { resourceGroupName, resourceName: azureIdentityName(spec), location: spec.region, tags },
      opts,
    );
    const registry = new containerregistry.Registry(
      "prebuilt",
      {
        resourceGroupName,
        registryName: identity.id.apply((id) => azureRegistryName(spec, id)),
        location: spec.region,
        sku: { name: "Basic" },
        adminUserEnabled: false,
        tags,
      },
      opts,
    );
    new authorization.RoleAssignment(
      "instances-acrpush",
      {
        roleAssignmentName: registry.id.apply((id) => roleAssignmentName(id, ACR_PUSH_ROLE)),
        scope: registry.id,
        roleDefinitionId: registry.id.apply(acrPushDefinition),
        principalId: identity.principalId,
        // Said up front: a fresh identity may not have replicated yet, and ARM then needs to be told.
        principalType: "ServicePrincipal",
      },
      opts,
    );
    this.outputs = pulumi.output({
      registry: registry.loginServer,
      repository: registry.loginServer.apply((server) => `${server}/prebuilt`),
      instance_identity: { azure_identity_id: identity.id },
    });
    this.registerOutputs({ outputs: this.outputs });
  }
}

export const azureRegistry = (spec: RegistrySpec): pulumi.Output<RegistryOutputs> =>
  new AzureRegistry(spec).outputs;
