// What a GCP instance boots with: metadata["user-data"] as written (cloud-init's GCE datasource reads it
// from the metadata server), its name as hostname, its numeric instance id. The first access config of
// the first network interface holds the public address. SSH keys in metadata are the guest agent's
// business on GCP, not cloud-init's, so none are handed over here.
import type { BootSpec } from "../core/kind.js";
import { arr, obj, str, type JsonObject } from "../core/values.js";

export function gcpHasPublicAddress(inputs: JsonObject): boolean {
  return (arr(obj(arr(inputs.networkInterfaces)?.[0])?.accessConfigs)?.length ?? 0) > 0;
}

export function gcpBoot(inputs: JsonObject, id: string, outputs: JsonObject): BootSpec {
  return {
    userData: Buffer.from(str(obj(inputs.metadata)?.["user-data"]) ?? "", "utf8"),
    hostname: str(inputs.name) ?? "",
    instanceId: str(outputs.instanceId) ?? id,
    publicKeys: [],
    addressOwner: gcpHasPublicAddress(inputs) ? id : null,
  };
}
