// Which backends can be used, from what is configured (no network call). A cloud without credentials is
// "missing", not an error: the local backend works without any. A cloud listed in ~/.dstack/config.yml
// without credentials, or with half of them, is a warning.
import { check, type Check, type CheckStatus } from "./check.js";
import type { AwsFacts, AzureFacts, GcpFacts, Setting } from "./cloud-probes.js";
import { AZURE_SP_SECRETS, AZURE_SP_VARIABLES } from "./cloud-probes.js";
import type { ConfiguredBackend } from "../home/dstack-config.js";

/** Paths under the home folder are shown as `~/...`. */
export type ShowPath = (path: string) => string;

interface Found {
  /** Where the credentials come from; undefined when none were found. */
  credentials: string | undefined;
  /** A misconfiguration worth a warning even when other credentials were found. */
  problem?: string;
}

function shown(setting: Setting, show: ShowPath): string {
  return `${setting.value} (${show(setting.source)})`;
}

function configured(b: ConfiguredBackend | undefined): string[] {
  if (b === undefined) return [];
  const parts = [
    b.regions.length > 0 ? `regions ${b.regions.join(", ")}` : "",
    b.vpcName === undefined ? "" : `vpc ${b.vpcName}`,
    b.vpcId === undefined ? "" : `vpc ${b.vpcId}`,
    b.subnetIds === undefined ? "" : `subnets ${b.subnetIds.join(", ")}`,
    b.resourceGroup === undefined ? "" : `resource group ${b.resourceGroup}`,
  ].filter((p) => p !== "");
  return [`in config.yml${parts.length === 0 ? "" : ` (${parts.join(", ")})`}`];
}

function decide(
  name: string,
  found: Found,
  settings: string[],
  missingSetting: string | undefined,
  inConfig: boolean,
  hints: { credentials: string; setting?: string },
): Check {
  const id = `backend:${name}`;
  if (found.credentials === undefined) {
    const what = found.problem ?? "no credentials found";
    const status: CheckStatus = inConfig || found.problem !== undefined ? "warning" : "missing";
    const why =
      inConfig && found.problem === undefined ? "listed in config.yml, but no credentials found" : what;
    return check(id, status, why, hints.credentials);
  }
  const detail = [`credentials: ${found.credentials}`, ...settings].join("; ");
  if (found.problem !== undefined)
    return check(id, "warning", `${detail}; but ${found.problem}`, hints.credentials);
  if (missingSetting !== undefined)
    return check(id, "warning", `${detail}; ${missingSetting}`, hints.setting ?? hints.credentials);
  return check(id, "ok", detail);
}

export function awsCheck(f: AwsFacts, b: ConfiguredBackend | undefined, show: ShowPath): Check {
  const problem =
    f.envKeys.id !== f.envKeys.secret
      ? f.envKeys.id
        ? "AWS_ACCESS_KEY_ID is set without AWS_SECRET_ACCESS_KEY"
        : "AWS_SECRET_ACCESS_KEY is set without AWS_ACCESS_KEY_ID"
      : undefined;
  const fileWith = [f.credentialsFile, f.configFile].find((file) => file.profiles.includes(f.profile));
  const anyFile = [f.credentialsFile, f.configFile].filter((file) => file.exists);
  let credentials: string | undefined;
  let profileProblem: string | undefined;
  if (f.envKeys.id && f.envKeys.secret)
    credentials = "environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)";
  else if (f.webIdentity) credentials = "web identity (AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE)";
  else if (fileWith !== undefined) credentials = `profile ${f.profile} (${show(fileWith.path)})`;
  else if (f.profileFromEnv)
    profileProblem = `AWS_PROFILE=${f.profile}, but no such profile in ${show(f.credentialsFile.path)} or ${show(f.configFile.path)}`;
  else if (anyFile.length > 0)
    credentials = `shared files ${anyFile.map((file) => show(file.path)).join(", ")}`;
  const region =
    f.region !== undefined
      ? [`region ${shown(f.region, show)}`]
      : b !== undefined && b.regions.length > 0
        ? []
        : ["no default region"];
  return decide(
    "aws",
    {
      credentials,
      ...((problem ?? profileProblem) === undefined ? {} : { problem: problem ?? profileProblem }),
    },
    [...region, ...configured(b)],
    undefined,
    b !== undefined,
    {
      credentials: "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or run `aws configure`",
    },
  );
}

export function gcpCheck(f: GcpFacts, b: ConfiguredBackend | undefined, show: ShowPath): Check {
  const kind = f.credentialType === undefined ? "" : `, ${f.credentialType}`;
  let credentials: string | undefined;
  let problem: string | undefined;
  if (f.envFile?.exists === true)
    credentials = `GOOGLE_APPLICATION_CREDENTIALS (${show(f.envFile.path)}${kind})`;
  else if (f.envFile !== undefined)
    problem = `GOOGLE_APPLICATION_CREDENTIALS names a missing file ${show(f.envFile.path)}`;
  if (credentials === undefined && f.adcFile.exists)
    credentials = `application default credentials (${show(f.adcFile.path)}${kind})`;
  const project =
    b?.project !== undefined
      ? `project ${b.project} (config.yml)`
      : f.project && `project ${shown(f.project, show)}`;
  return decide(
    "gcp",
    { credentials, ...(problem === undefined ? {} : { problem }) },
    [...(project === undefined ? [] : [project]), ...configured(b)],
    project === undefined ? "no project set" : undefined,
    b !== undefined,
    {
      credentials:
        "set GOOGLE_APPLICATION_CREDENTIALS to a service account key file, or run `gcloud auth application-default login`",
      setting: "set GOOGLE_CLOUD_PROJECT, or `project:` in the gcp entry of ~/.dstack/config.yml",
    },
  );
}

export function azureCheck(f: AzureFacts, b: ConfiguredBackend | undefined, show: ShowPath): Check {
  const needed = AZURE_SP_VARIABLES.filter((v) => !f.spSet.includes(v));
  const secret = AZURE_SP_SECRETS.find((v) => f.spSet.includes(v));
  let credentials: string | undefined;
  let problem: string | undefined;
  if (f.spSet.length > 0 && needed.length === 0 && secret !== undefined)
    credentials = `service principal (${[...AZURE_SP_VARIABLES, secret].join(", ")})`;
  else if (f.spSet.length > 0)
    problem = `service principal incomplete: missing ${[...needed, ...(secret === undefined ? [AZURE_SP_SECRETS.join(" or ")] : [])].join(", ")}`;
  if (credentials === undefined && f.profileFile.exists)
    credentials = `az login (${show(f.profileFile.path)})`;
  const subscription =
    b?.subscriptionId !== undefined
      ? `subscription ${b.subscriptionId} (config.yml)`
      : f.subscription && `subscription ${shown(f.subscription, show)}`;
  return decide(
    "azure",
    { credentials, ...(problem === undefined ? {} : { problem }) },
    [...(subscription === undefined ? [] : [subscription]), ...configured(b)],
    subscription === undefined ? "no subscription set" : undefined,
    b !== undefined,
    {
      credentials:
        "set AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH), or run `az login`",
      setting: "set AZURE_SUBSCRIPTION_ID, or `subscription_id:` in the azure entry of ~/.dstack/config.yml",
    },
  );
}

/** The local backend needs only the Docker engine and the locally built images. */
/** The local backend's simulated zones and injected faults (config.yml), said aloud: they fail creates. */
function localSimulation(b: ConfiguredBackend | undefined): string {
  if (b?.zones === undefined) return "";
  const zones = `; simulated zones ${b.zones.join(", ")}`;
  const f = b.faults;
  if (f === undefined || f.noCapacity.length === 0) return zones;
  const clears = f.noCapacityFor === null ? "" : `, clearing ${f.noCapacityFor}s after the first attempt`;
  return `${zones}; FAULT INJECTION: no capacity in ${f.noCapacity.join(", ")}${clears}`;
}

export function localCheck(docker: Check, images: Check, configured?: ConfiguredBackend): Check {
  if (docker.status !== "ok")
    return check("backend:local", "error", "needs the Docker engine, which does not answer", docker.hint);
  if (images.status !== "ok")
    return check(
      "backend:local",
      "warning",
      "Docker answers, but the local images are not ready",
      images.hint,
    );
  const simulation = localSimulation(configured);
  if (configured?.faults !== undefined && configured.faults.noCapacity.length > 0)
    return check(
      "backend:local",
      "warning",
      `Docker engine and local images ready${simulation}`,
      "a testing aid for rehearsing `retry`: remove `faults` from the local backend in ~/.dstack/config.yml to provision normally",
    );
  return check(
    "backend:local",
    "ok",
    `Docker engine and local images ready (no credentials needed)${simulation}`,
  );
}
