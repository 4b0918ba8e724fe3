// The service account a pool's VMs run as: the registry stack's, when the pool has one (pull and push of
// prebuilt images with tokens from the metadata server, nothing in user data). The cloud-platform scope
// leaves what the account may do to its IAM roles, as Google recommends. Absent: the instance has no
// serviceAccount block, exactly as before registries existed.
import type { PoolSpec } from "../pool-spec.js";

export const CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";

export function registryServiceAccount(spec: PoolSpec): { email: string; scopes: string[] } | undefined {
  const email = spec.registry?.gcp_service_account;
  return email === undefined ? undefined : { email, scopes: [CLOUD_PLATFORM_SCOPE] };
}

/** `{ serviceAccount }` when the pool has a registry identity; nothing otherwise (no diff for old stacks). */
export function withServiceAccount(spec: PoolSpec): { serviceAccount?: { email: string; scopes: string[] } } {
  const account = registryServiceAccount(spec);
  return account === undefined ? {} : { serviceAccount: account };
}
