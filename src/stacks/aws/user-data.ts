// An instance's user data as AWS takes it: the cloud-init document gzipped, then base64 for
// `userDataBase64`. AWS caps raw user data at 16 KB, and the raw form of a base64 upload is the gzip
// bytes; the agent bundle alone is larger than that uncompressed, hence the gzip. cloud-init recognizes
// gzip by its magic bytes, so nothing on the VM needs to know.
import { UserError } from "../../errors.js";
import { AWS_USER_DATA_LIMIT, gzipBase64 } from "../../templates/user-data.js";
import type { BuildContext } from "../backend.js";
import { cloudUserData } from "../cloud-user-data.js";
import { instanceKeys, type PoolInstanceSpec, type PoolSpec } from "../pool-spec.js";

export function awsUserData(spec: PoolSpec, instance: PoolInstanceSpec, ctx: BuildContext): string {
  const encoded = gzipBase64(
    cloudUserData(
      ctx.agentSource,
      instance.name,
      instanceKeys(spec, instance),
      instance.idle_duration_s ?? null,
    ),
  );
  const raw = Buffer.byteLength(encoded, "base64");
  // Fail while building the program, with sizes, rather than at RunInstances with a bare 400.
  if (raw > AWS_USER_DATA_LIMIT)
    throw new UserError(
      "aws-user-data-too-large",
      `user data of ${instance.name} is ${raw} bytes gzipped, over AWS's ${AWS_USER_DATA_LIMIT}`,
      "fewer or shorter ssh_public_keys; the agent bundle itself must stay small",
    );
  return encoded;
}
