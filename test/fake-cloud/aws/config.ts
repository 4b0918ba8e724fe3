// The aws provider's configuration as the fake reads it: the region (required, as for the real
// provider) and defaultTags, which every taggable resource's tagsAll merges under its own tags.
import type { CheckFailure } from "../core/check-kit.js";
import { isObject, str, type Json, type JsonObject } from "../core/values.js";
import { isRegion } from "./geo.js";

export interface AwsConfig {
  region: string;
  defaultTags: Record<string, string>;
}

function regionOf(values: JsonObject, env: NodeJS.ProcessEnv): string | undefined {
  return str(values.region) ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
}

/** Explicit providers send objects JSON-encoded (`defaultTags: '{"tags":{...}}'`); stack config too. */
function parsed(value: Json | undefined): Json | undefined {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value) as Json;
  } catch {
    return undefined;
  }
}

export function checkAwsConfig(values: JsonObject, env: NodeJS.ProcessEnv): CheckFailure[] {
  const region = regionOf(values, env);
  if (region === undefined)
    return [
      {
        property: "region",
        reason: `missing required configuration key "aws:region": The region where AWS operations will take place. Examples are us-east-1, us-west-2, etc.`,
      },
    ];
  return isRegion(region) ? [] : [{ property: "region", reason: `invalid AWS Region: ${region}` }];
}

export function configureAws(values: JsonObject, env: NodeJS.ProcessEnv): AwsConfig {
  const region = regionOf(values, env);
  if (region === undefined || !isRegion(region))
    throw new Error(`fake-cloud (aws): ${checkAwsConfig(values, env)[0]?.reason ?? "invalid region"}`);
  const defaults = parsed(values.defaultTags);
  const tags = isObject(defaults) && isObject(defaults.tags) ? defaults.tags : {};
  return {
    region,
    defaultTags: Object.fromEntries(
      Object.entries(tags).filter((e): e is [string, string] => typeof e[1] === "string"),
    ),
  };
}

/** The real provider's tagsAll: default tags overlaid by the resource's own. */
export function tagsAll(config: AwsConfig, inputs: JsonObject): JsonObject {
  return { ...config.defaultTags, ...(isObject(inputs.tags) ? inputs.tags : {}) };
}
