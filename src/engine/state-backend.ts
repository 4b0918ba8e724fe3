// Where Pulumi state lives: a file backend under ~/.dstack/state by default, or any Pulumi backend URL
// (s3://, file://, https://api.pulumi.com) given by --backend-url or DSTACK_BACKEND_URL. Stacks in file
// and S3 backends encrypt secrets with a passphrase: from the environment, else a generated 0600 file.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { Secret } from "../compiler/secret.js";
import { createOnce } from "../create-once.js";
import { dstackDir, stateDir, statePassphraseFile } from "../home/paths.js";
import { teamBackendUrl } from "../home/team-backend.js";

export interface StateBackend {
  url: string;
  kind: "file" | "s3" | "cloud" | "other";
  /** Secrets provider passphrase; undefined for Pulumi Cloud, which keeps secrets itself. */
  passphrase: Secret | undefined;
  /** Where the passphrase came from, for `dstack doctor`. */
  passphraseSource: "environment" | "file" | "none";
}

export interface BackendInput {
  home: string;
  env: Readonly<Record<string, string | undefined>>;
  backendUrl?: string;
}

function kindOf(url: string): StateBackend["kind"] {
  if (url.startsWith("file://")) return "file";
  if (url.startsWith("s3://")) return "s3";
  // Pulumi Cloud, or a self-hosted Pulumi service (http:// on a private network).
  if (url.startsWith("https://") || url.startsWith("http://")) return "cloud";
  return "other";
}

/**
 * The backend URL alone, without touching anything (no folder, no passphrase): the command's
 * --backend-url, else the team's backend (DSTACK_BACKEND_URL, else `state: {backend}` in config.yml),
 * else the file backend under ~/.dstack.
 */
export function stateBackendUrl(input: BackendInput): string {
  return input.backendUrl ?? teamBackendUrl(input.home, input.env) ?? `file://${stateDir(input.home)}`;
}

export function resolveStateBackend(input: BackendInput): StateBackend {
  const url = stateBackendUrl(input);
  const kind = kindOf(url);
  if (kind === "file") mkdirSync(url.slice("file://".length), { recursive: true, mode: 0o700 });
  if (kind === "cloud") return { url, kind, passphrase: undefined, passphraseSource: "none" };
  const fromEnv = input.env.PULUMI_CONFIG_PASSPHRASE ?? input.env.DSTACK_STATE_PASSPHRASE;
  if (fromEnv !== undefined)
    return { url, kind, passphrase: new Secret(fromEnv), passphraseSource: "environment" };
  return { url, kind, passphrase: new Secret(passphraseFile(input.home)), passphraseSource: "file" };
}

/**
 * Read, or create once, the generated passphrase; only the owner may read it. Two dstack processes
 * starting on a fresh HOME (two applies at once) may both create it: the first one's is kept.
 */
function passphraseFile(home: string): string {
  const file = statePassphraseFile(home);
  if (!existsSync(file)) {
    mkdirSync(dstackDir(home), { recursive: true, mode: 0o700 });
    createOnce(file, `${randomBytes(24).toString("base64url")}\n`, 0o600);
  }
  chmodSync(file, 0o600);
  return readFileSync(file, "utf8").trim();
}
