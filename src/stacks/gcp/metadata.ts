// Instance metadata: the cloud-init document (`user-data`, read by cloud-init's GCE datasource) and the
// login keys in GCE's own `ssh-keys` format, which the guest environment installs independently of
// cloud-init. Both hold public data only: any process on the VM can read its metadata.
import { UserError } from "../../errors.js";
import { cloudUserData } from "../cloud-user-data.js";
import type { PoolSpec } from "../pool-spec.js";

/** GCP's limit on one metadata value. */
export const GCP_METADATA_VALUE_LIMIT = 256 * 1024;

export function instanceMetadata(
  spec: PoolSpec,
  instanceName: string,
  agentSource: string,
  idleDurationS: number | null = null,
  keys: readonly string[] = spec.ssh_public_keys,
): Record<string, string> {
  // cloudUserData refuses anything that is not an OpenSSH public key, so no private key gets this far.
  const userData = cloudUserData(agentSource, instanceName, keys, idleDurationS);
  const size = Buffer.byteLength(userData, "utf8");
  if (size > GCP_METADATA_VALUE_LIMIT) {
    throw new UserError(
      "gcp-user-data-too-large",
      `user data of instance ${instanceName} is ${size} bytes, over GCP's ${GCP_METADATA_VALUE_LIMIT}-byte limit on a metadata value`,
      "the agent bundle is too large: rebuild it (npm run build) or report a bug",
    );
  }
  const metadata: Record<string, string> = { "user-data": userData };
  if (keys.length > 0) {
    metadata["ssh-keys"] = keys.map((key) => `root:${key}`).join("\n");
  }
  return metadata;
}
