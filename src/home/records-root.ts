// Where dstack's records (runs, pending runs, pools and their instances, fleets, volumes, registries,
// the named pools) live: beside the stacks in the team's backend (team-backend.ts), so that everyone
// who shares the backend sees, reaches and stops the same runs (issue 15). With the personal default
// (the file backend under ~/.dstack) they stay in ~/.dstack as always. A file:// backend (a shared
// folder) keeps them in `<folder>/.dstack/`, next to Pulumi's `.pulumi/`. ~/.dstack keeps only what is
// personal: keys, the SSH config, logs, caches, the local backend's instance folders. On a Pulumi
// service each record is a stack of its own (service-record-store.ts).
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { dstackDir, sharedRecordsDir, stateDir } from "./paths.js";
import { teamBackendUrl } from "./team-backend.js";

export type RecordsRoot =
  /** Records as files under `dir` (one folder per kind). */
  | { kind: "files"; dir: string; shared: boolean }
  /** Records as objects of an S3 bucket, under `prefix`. */
  | { kind: "s3"; url: string }
  /** Records as stacks of a Pulumi service (Pulumi Cloud, or a self-hosted one). */
  | { kind: "service"; url: string };

/** The folder a file:// URL names (file:///abs/path or file://~/path). */
export function fileUrlPath(url: string, home: string): string {
  const rest = url.slice("file://".length);
  if (rest === "~" || rest.startsWith("~/")) return join(home, rest.slice(1));
  return rest.startsWith("/") ? fileURLToPath(`file://${rest}`) : rest;
}

export function recordsRoot(
  home: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): RecordsRoot {
  const url = teamBackendUrl(home, env);
  const personal: RecordsRoot = { kind: "files", dir: dstackDir(home), shared: false };
  if (url === undefined) return personal;
  if (url.startsWith("file://")) {
    const dir = fileUrlPath(url, home);
    return dir === stateDir(home) ? personal : { kind: "files", dir: sharedRecordsDir(dir), shared: true };
  }
  if (url.startsWith("s3://")) return { kind: "s3", url };
  if (url.startsWith("https://") || url.startsWith("http://")) return { kind: "service", url };
  // gs://, azblob://: the stacks go there; the records stay personal for now.
  return personal;
}
