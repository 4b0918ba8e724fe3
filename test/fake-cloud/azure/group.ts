// azure-native:resources:ResourceGroup. Deleting a group deletes everything in it, as Azure does.
import type { ResourceKind } from "../core/kind.js";
import { str } from "../core/values.js";
import { armOutputs, groupId, RESOURCE_GROUP } from "./common.js";
import type { AzureConfig } from "./config.js";

export const azureResourceGroup: ResourceKind<AzureConfig> = {
  type: RESOURCE_GROUP,
  nameProperty: "resourceGroupName",
  replaceOn: ["resourceGroupName", "location"],
  check: (c, config) => {
    c.type("location", "string");
    if (c.get("location") === undefined && config.location === undefined)
      c.fail("location", `required property "location" is missing (and the provider sets no location)`);
    c.type("tags", "object");
  },
  id: (inputs, _serial, ctx) => groupId(ctx.config, str(inputs.resourceGroupName) ?? ""),
  render: (inputs, ident, ctx) => ({
    ...armOutputs(
      inputs,
      ident,
      ctx,
      groupId(ctx.config, str(inputs.resourceGroupName) ?? ""),
      "Microsoft.Resources/resourceGroups",
      str(inputs.resourceGroupName) ?? "",
    ),
    location: str(inputs.location) ?? ctx.config.location ?? "",
  }),
  cascade: (res, ctx) =>
    Object.keys(ctx.resources).filter((id) => id.toLowerCase().startsWith(`${res.id.toLowerCase()}/`)),
};
