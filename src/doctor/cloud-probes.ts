// Facts about cloud credentials from the clouds' usual sources: environment variables and well-known files
// under the home folder. No network call, and no secret value is kept: only names, paths and settings
// that are not secret (profile names, regions, projects, subscription ids).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { configProfile, parseIni, profileNames } from "./aws-ini.js";

type Env = Readonly<Record<string, string | undefined>>;

export interface Setting {
  value: string;
  /** Where it came from: a variable name or a file. */
  source: string;
}

export interface FileFact {
  path: string;
  exists: boolean;
}

function set(env: Env, name: string): boolean {
  return (env[name] ?? "") !== "";
}

function firstSetting(env: Env, names: readonly string[]): Setting | undefined {
  const name = names.find((n) => set(env, n));
  return name === undefined ? undefined : { value: env[name]!, source: name };
}

function fileFact(path: string): FileFact {
  return { path, exists: existsSync(path) };
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

export interface AwsFacts {
  /** Which of AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY are set. */
  envKeys: { id: boolean; secret: boolean };
  webIdentity: boolean;
  /** AWS_PROFILE, or "default". */
  profile: string;
  profileFromEnv: boolean;
  credentialsFile: FileFact & { profiles: string[] };
  configFile: FileFact & { profiles: string[] };
  region: Setting | undefined;
}

export function probeAws(env: Env, home: string): AwsFacts {
  const credentialsPath = env.AWS_SHARED_CREDENTIALS_FILE || join(home, ".aws", "credentials");
  const configPath = env.AWS_CONFIG_FILE || join(home, ".aws", "config");
  const credentials = parseIni(readText(credentialsPath) ?? "");
  const config = parseIni(readText(configPath) ?? "");
  const profile = env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE || "default";
  const fileRegion = configProfile(config, profile)?.get("region");
  return {
    envKeys: { id: set(env, "AWS_ACCESS_KEY_ID"), secret: set(env, "AWS_SECRET_ACCESS_KEY") },
    webIdentity: set(env, "AWS_WEB_IDENTITY_TOKEN_FILE") && set(env, "AWS_ROLE_ARN"),
    profile,
    profileFromEnv: set(env, "AWS_PROFILE") || set(env, "AWS_DEFAULT_PROFILE"),
    credentialsFile: { ...fileFact(credentialsPath), profiles: profileNames(credentials, "credentials") },
    configFile: { ...fileFact(configPath), profiles: profileNames(config, "config") },
    region:
      firstSetting(env, ["AWS_REGION", "AWS_DEFAULT_REGION"]) ??
      (fileRegion ? { value: fileRegion, source: configPath } : undefined),
  };
}

export interface GcpFacts {
  /** GOOGLE_APPLICATION_CREDENTIALS, when set. */
  envFile: FileFact | undefined;
  /** gcloud's application default credentials. */
  adcFile: FileFact;
  /** `type` of the credentials file used (service_account, authorized_user, external_account). */
  credentialType: string | undefined;
  project: Setting | undefined;
}

function credentialFields(path: string): { type?: string; project?: string } {
  try {
    const json = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
    const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
    const project = str(json.project_id) ?? str(json.quota_project_id);
    const type = str(json.type);
    return { ...(type === undefined ? {} : { type }), ...(project === undefined ? {} : { project }) };
  } catch {
    return {};
  }
}

export function probeGcp(env: Env, home: string): GcpFacts {
  const envFile = set(env, "GOOGLE_APPLICATION_CREDENTIALS")
    ? fileFact(env.GOOGLE_APPLICATION_CREDENTIALS!)
    : undefined;
  const gcloudDir = env.CLOUDSDK_CONFIG || join(home, ".config", "gcloud");
  const adcFile = fileFact(join(gcloudDir, "application_default_credentials.json"));
  const used = envFile?.exists === true ? envFile : adcFile.exists ? adcFile : undefined;
  const fields = used === undefined ? {} : credentialFields(used.path);
  return {
    envFile,
    adcFile,
    credentialType: fields.type,
    project:
      firstSetting(env, ["GOOGLE_CLOUD_PROJECT", "CLOUDSDK_CORE_PROJECT", "GCLOUD_PROJECT"]) ??
      (fields.project !== undefined && used !== undefined
        ? { value: fields.project, source: used.path }
        : undefined),
  };
}

export const AZURE_SP_VARIABLES = ["AZURE_CLIENT_ID", "AZURE_TENANT_ID"] as const;
export const AZURE_SP_SECRETS = ["AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PATH"] as const;

export interface AzureFacts {
  /** Service-principal variables that are set (names only). */
  spSet: string[];
  /** The az CLI profile (written by `az login`). */
  profileFile: FileFact;
  subscription: Setting | undefined;
}

function defaultSubscription(path: string): string | undefined {
  const text = readText(path);
  if (text === undefined) return undefined;
  try {
    // az writes this file with a byte-order mark.
    const json = JSON.parse(text.replace(/^\uFEFF/, "")) as { subscriptions?: unknown };
    const subs = Array.isArray(json.subscriptions) ? (json.subscriptions as Record<string, unknown>[]) : [];
    const chosen = subs.find((s) => s.isDefault === true);
    return typeof chosen?.id === "string" ? chosen.id : undefined;
  } catch {
    return undefined;
  }
}

export function probeAzure(env: Env, home: string): AzureFacts {
  const profilePath = join(env.AZURE_CONFIG_DIR || join(home, ".azure"), "azureProfile.json");
  const fromProfile = defaultSubscription(profilePath);
  return {
    spSet: [...AZURE_SP_VARIABLES, ...AZURE_SP_SECRETS].filter((n) => set(env, n)),
    profileFile: fileFact(profilePath),
    subscription:
      firstSetting(env, ["AZURE_SUBSCRIPTION_ID", "ARM_SUBSCRIPTION_ID"]) ??
      (fromProfile === undefined ? undefined : { value: fromProfile, source: profilePath }),
  };
}
