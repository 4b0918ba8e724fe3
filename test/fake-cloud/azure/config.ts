// The azure-native provider's configuration as the fake reads it: the subscription (else
// ARM_SUBSCRIPTION_ID, else a fixed fake subscription) and the default location.
import type { CheckFailure } from "../core/check-kit.js";
import { str, type JsonObject } from "../core/values.js";

export const DEFAULT_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";

export interface AzureConfig {
  subscriptionId: string;
  location?: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function configureAzure(values: JsonObject, env: NodeJS.ProcessEnv): AzureConfig {
  return {
    subscriptionId: str(values.subscriptionId) ?? env.ARM_SUBSCRIPTION_ID ?? DEFAULT_SUBSCRIPTION,
    location: str(values.location),
  };
}

export function checkAzureConfig(values: JsonObject): CheckFailure[] {
  const sub = str(values.subscriptionId);
  return sub === undefined || GUID.test(sub)
    ? []
    : [{ property: "subscriptionId", reason: `subscriptionId "${sub}" is not a GUID` }];
}
