// The VM's customData: the same cloud-init document every cloud instance gets, base64-encoded as Azure
// wants it. Azure caps it at 64 KiB before encoding and never lets it change on a running VM (a change
// replaces the VM), which is acceptable: it only changes with the agent or the keys.
import { UserError } from "../../errors.js";
import type { BuildContext } from "../backend.js";
import { cloudUserData } from "../cloud-user-data.js";

export const AZURE_CUSTOM_DATA_LIMIT = 64 * 1024;

export function azureCustomData(
  ctx: BuildContext,
  instanceName: string,
  keys: readonly string[],
  idleDurationS: number | null = null,
): string {
  const text = cloudUserData(ctx.agentSource, instanceName, keys, idleDurationS);
  const size = Buffer.byteLength(text, "utf8");
  if (size > AZURE_CUSTOM_DATA_LIMIT)
    throw new UserError(
      "azure-custom-data",
      `user data of ${instanceName} is ${size} bytes, over Azure's ${AZURE_CUSTOM_DATA_LIMIT}-byte customData limit`,
      "use fewer SSH keys",
    );
  return Buffer.from(text, "utf8").toString("base64");
}
