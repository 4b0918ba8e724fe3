// What every Azure kind shares: ARM ids, the location a resource lands in (its own, else its resource
// group's, else the provider's), the outputs ARM adds to every resource, and ARM error texts.
import { uuidOf } from "../core/hash.js";
import { CloudError, type Ctx, type Ident } from "../core/kind.js";
import { generated } from "../core/render.js";
import { str, type JsonObject } from "../core/values.js";
import type { AzureConfig } from "./config.js";

export const RESOURCE_GROUP = "azure-native:resources:ResourceGroup";

/** ARM's error form as azure-native reports a failed operation. */
export function armError(code: string, message: string): CloudError {
  return new CloudError(`Code="${code}" Message="${message}"`);
}

export function groupId(config: AzureConfig, group: string): string {
  return `/subscriptions/${config.subscriptionId}/resourceGroups/${group}`;
}

/** `/subscriptions/<s>/resourceGroups/<rg>/providers/<armType>/<name>[/<child>/<childName>]` */
export function armId(
  inputs: JsonObject,
  config: AzureConfig,
  armType: string,
  nameProperty: string,
): string {
  return `${groupId(config, str(inputs.resourceGroupName) ?? "")}/providers/${armType}/${str(inputs[nameProperty]) ?? ""}`;
}

export function locationOf(inputs: JsonObject, ctx: Ctx<AzureConfig>): string {
  const own = str(inputs.location);
  if (own !== undefined) return own;
  const group = ctx.resources[groupId(ctx.config, str(inputs.resourceGroupName) ?? "")];
  return str(group?.outputs.location) ?? ctx.config.location ?? "";
}

/** The outputs every ARM resource has. */
export function armOutputs(
  inputs: JsonObject,
  ident: Ident | null,
  ctx: Ctx<AzureConfig>,
  id: string,
  armType: string,
  name: string,
): JsonObject {
  return {
    ...inputs,
    id,
    name,
    type: armType,
    location: locationOf(inputs, ctx),
    provisioningState: "Succeeded",
    etag: generated(ident, (i) => `W/"${uuidOf(`etag:${i.serial}`)}"`),
  };
}

/** ARM refuses anything in a resource group that does not exist. */
export function requireGroup(inputs: JsonObject, ctx: Ctx<AzureConfig>): void {
  const group = str(inputs.resourceGroupName) ?? "";
  if (ctx.resources[groupId(ctx.config, group)]?.type !== RESOURCE_GROUP)
    throw armError("ResourceGroupNotFound", `Resource group '${group}' could not be found.`);
}

/** The resource a reference (`{id: ...}`) points to, or an InvalidResourceReference error. */
export function requireReference(ref: string, by: string, type: string, ctx: Ctx<AzureConfig>): void {
  if (ctx.resources[ref]?.type !== type)
    throw armError(
      "InvalidResourceReference",
      `Resource ${ref} referenced by resource ${by} was not found. Please make sure that the referenced resource exists, and that both resources are in the same region.`,
    );
}
