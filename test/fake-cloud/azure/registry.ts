// azure-native:containerregistry:Registry: an Azure Container Registry. Its name is global (it is the
// host `<name>.azurecr.io`): 5-50 letters and digits, unique across every subscription. Images are not
// modelled; the admin user is off unless asked for.
import type { ResourceKind } from "../core/kind.js";
import { generated } from "../core/render.js";
import { obj, str } from "../core/values.js";
import { armError, armId, armOutputs, requireGroup } from "./common.js";
import type { AzureConfig } from "./config.js";

export const REGISTRY_TYPE = "azure-native:containerregistry:Registry";
const REGISTRIES = "Microsoft.ContainerRegistry/registries";
const SKUS = ["Basic", "Standard", "Premium"];

export const azureContainerRegistry: ResourceKind<AzureConfig> = {
  type: REGISTRY_TYPE,
  nameProperty: "registryName",
  replaceOn: ["resourceGroupName", "registryName", "location"],
  check: (c) => {
    c.required("resourceGroupName", "string");
    c.required("sku", "object");
    c.required("sku.name", "string");
    c.oneOf("sku.name", SKUS);
    for (const p of ["adminUserEnabled", "anonymousPullEnabled", "dataEndpointEnabled"]) c.type(p, "boolean");
    c.oneOf("publicNetworkAccess", ["Enabled", "Disabled"]);
    c.type("tags", "object");
  },
  id: (inputs, _s, ctx) => armId(inputs, ctx.config, REGISTRIES, "registryName"),
  render: (inputs, ident, ctx) => {
    const name = str(inputs.registryName) ?? "";
    const sku = str(obj(inputs.sku)?.name) ?? "";
    return {
      ...armOutputs(
        inputs,
        ident,
        ctx,
        armId(inputs, ctx.config, REGISTRIES, "registryName"),
        REGISTRIES,
        name,
      ),
      loginServer: `${name.toLowerCase()}.azurecr.io`,
      sku: { name: sku, tier: sku },
      adminUserEnabled: inputs.adminUserEnabled ?? false,
      anonymousPullEnabled: inputs.anonymousPullEnabled ?? false,
      dataEndpointEnabled: inputs.dataEndpointEnabled ?? false,
      dataEndpointHostNames: [],
      publicNetworkAccess: inputs.publicNetworkAccess ?? "Enabled",
      zoneRedundancy: "Disabled",
      creationDate: generated(ident, () => new Date().toISOString()),
    };
  },
  beforeCreate: (inputs, _id, ctx) => {
    requireGroup(inputs, ctx);
    const name = str(inputs.registryName) ?? "";
    if (!/^[a-zA-Z0-9]{5,50}$/.test(name))
      throw armError(
        "InvalidParameter",
        `Registry name '${name}' is invalid: it must be 5 to 50 letters and digits.`,
      );
    const taken = Object.values(ctx.resources).some(
      (r) => r.type === REGISTRY_TYPE && str(r.outputs.name)?.toLowerCase() === name.toLowerCase(),
    );
    if (taken) throw armError("AlreadyInUse", `The registry ${name} is already in use.`);
  },
};
