// organizations.getClientConfig: the provider's settings and the caller's OAuth access token, which
// the CLI uses as the Artifact Registry password (`oauth2accesstoken`). The fake's token is a
// deterministic stand-in (core/registry-tokens.ts).
import type { Invoke } from "../core/kind.js";
import { fakeRegistryToken } from "../core/registry-tokens.js";
import type { GcpConfig } from "./config.js";

const getClientConfig: Invoke<GcpConfig> = (_args, config) => ({
  id: `projects/${config.project ?? ""}/regions/${config.region ?? ""}/zones/${config.zone ?? ""}`,
  accessToken: fakeRegistryToken(`gcp:${config.project ?? ""}`),
  project: config.project ?? "",
  region: config.region ?? "",
  zone: config.zone ?? "",
  defaultLabels: config.defaultLabels,
});

export const gcpClientInvokes: Record<string, Invoke<GcpConfig>> = {
  "gcp:organizations/getClientConfig:getClientConfig": getClientConfig,
};
