// What an AWS instance boots with: the user data as EC2 hands it to the instance (userData as written;
// userDataBase64 decoded, still gzip if it was gzipped: cloud-init unpacks it), the key pair's key as the
// instance's public key (meta-data), and the default hostname AWS gives, ip-<private address>.
import type { BootSpec, Ctx } from "../core/kind.js";
import { str, type JsonObject } from "../core/values.js";
import type { AwsConfig } from "./config.js";

export function awsUserData(inputs: JsonObject): Buffer {
  const encoded = str(inputs.userDataBase64);
  if (encoded !== undefined) return Buffer.from(encoded, "base64");
  return Buffer.from(str(inputs.userData) ?? "", "utf8");
}

export function awsBoot(inputs: JsonObject, id: string, outputs: JsonObject, ctx: Ctx<AwsConfig>): BootSpec {
  const key = str(inputs.keyName);
  const publicKey = key === undefined ? undefined : str(ctx.resources[key]?.inputs.publicKey);
  return {
    userData: awsUserData(inputs),
    hostname: `ip-${(str(outputs.privateIp) ?? "").replaceAll(".", "-")}`,
    instanceId: id,
    publicKeys: publicKey === undefined ? [] : [publicKey],
    addressOwner: inputs.associatePublicIpAddress === false ? null : id,
  };
}
