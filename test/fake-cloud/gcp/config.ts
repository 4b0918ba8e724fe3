// The gcp provider's configuration as the fake reads it: project (else the environment variables the
// real provider reads), region, zone, and defaultLabels, which labelled resources merge under their own.
import type { CheckFailure } from "../core/check-kit.js";
import { isObject, str, type Json, type JsonObject } from "../core/values.js";

export interface GcpConfig {
  project?: string;
  region?: string;
  zone?: string;
  defaultLabels: Record<string, string>;
}

const PROJECT_ENV = ["GOOGLE_PROJECT", "GOOGLE_CLOUD_PROJECT", "GCLOUD_PROJECT", "CLOUDSDK_CORE_PROJECT"];

function parsed(value: Json | undefined): Json | undefined {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value) as Json;
  } catch {
    return undefined;
  }
}

export function configureGcp(values: JsonObject, env: NodeJS.ProcessEnv): GcpConfig {
  const labels = parsed(values.defaultLabels);
  return {
    project: str(values.project) ?? PROJECT_ENV.map((k) => env[k]).find((v) => v !== undefined && v !== ""),
    region: str(values.region),
    zone: str(values.zone),
    defaultLabels: isObject(labels)
      ? Object.fromEntries(
          Object.entries(labels).filter((e): e is [string, string] => typeof e[1] === "string"),
        )
      : {},
  };
}

export function checkGcpConfig(values: JsonObject): CheckFailure[] {
  const region = str(values.region);
  if (region !== undefined && !/^[a-z]+-[a-z]+\d+$/.test(region))
    return [{ property: "region", reason: `"${region}" is not a GCP region (e.g. us-central1)` }];
  return [];
}

/** The real provider's effective labels: default labels overlaid by the resource's own. */
export function effectiveLabels(config: GcpConfig, inputs: JsonObject): JsonObject {
  return { ...config.defaultLabels, ...(isObject(inputs.labels) ? inputs.labels : {}) };
}
