// What an Azure VM boots with: osProfile.customData base64-decoded (cloud-init's Azure datasource decodes
// it the same way), computerName as hostname, vmId as instance id, the osProfile's SSH keys as the
// instance's public keys (meta-data). Its public address is the Static public IP of its first NIC's IP
// configuration: that resource owns the loopback address, from its own create on.
import type { BootSpec, Ctx } from "../core/kind.js";
import { arr, isObject, obj, str, type JsonObject } from "../core/values.js";
import type { AzureConfig } from "./config.js";

function publicIpOf(inputs: JsonObject, ctx: Ctx<AzureConfig>): string | null {
  const nicId = str(obj(arr(obj(inputs.networkProfile)?.networkInterfaces)?.[0])?.id);
  const nic = nicId === undefined ? undefined : ctx.resources[nicId];
  const config = obj(arr(nic?.inputs.ipConfigurations)?.[0]);
  return str(obj(config?.publicIPAddress)?.id) ?? null;
}

export function azureBoot(
  inputs: JsonObject,
  _id: string,
  outputs: JsonObject,
  ctx: Ctx<AzureConfig>,
): BootSpec {
  const os = obj(inputs.osProfile);
  const keys = arr(obj(obj(os?.linuxConfiguration)?.ssh)?.publicKeys) ?? [];
  return {
    userData: Buffer.from(str(os?.customData) ?? "", "base64"),
    hostname: str(os?.computerName) ?? str(inputs.vmName) ?? "",
    instanceId: str(outputs.vmId) ?? "",
    publicKeys: keys.flatMap((k) => (isObject(k) && typeof k.keyData === "string" ? [k.keyData] : [])),
    addressOwner: publicIpOf(inputs, ctx),
  };
}
