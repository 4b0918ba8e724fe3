// What the CLI remembers between commands: each run (where it runs, how to reach it) and each local pool
// (which instances its Pulumi stack holds). Pulumi's state stays the truth about infrastructure; these
// files only say which stack and which agent to ask.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { dstackDir } from "../engine/state-backend.js";
import type { ProcessStamp } from "../process-identity.js";
import { readJson, removeFile, writeJson } from "./files.js";

export interface RunRecord {
  name: string;
  type: "dev-environment" | "task";
  backend: "local";
  pool: string;
  instance: string;
  /** Where the instance landed; absent in records written before zones were recorded. */
  region?: string;
  zone?: string | null;
  /** The instance's sshd, published on 127.0.0.1. */
  instance_ssh_port: number;
  /** The run's sshd inside the instance's network namespace. */
  run_ssh_port: number;
  resources: string;
  price: number;
  submitted_at: string;
  config_file: string;
  /** The normalized configuration as applied (secrets redacted), to detect in-place changes. */
  spec: Record<string, unknown>;
  ports: { local: number | null; container: number }[];
  /** The repository folder uploaded to the run: a resubmission uploads it again. */
  repo_dir?: string;
  /** Set by the reaper when the run's instance disappeared while it ran and it was not resubmitted. */
  interrupted_at?: string;
  /** How many times the run was resubmitted (retry on interruption or error). */
  resubmissions?: number;
  /** What the last resubmission followed (absent in records written before errors were retried). */
  resubmitted_after?: "interruption" | "error";
  /** The first submission of a resubmitted run: retry.duration on errors counts from it. */
  first_submitted_at?: string;
  /** Set once the run failed with retry.duration used up: the reaper stops looking at it. */
  error_retry_ended?: string;
}

export interface PoolInstance {
  name: string;
  /** The (simulated) availability zone it was created in; null or absent when none was chosen. */
  zone?: string | null;
  created_at: string;
  idle_duration: number | "off";
  /** The instance's sshd on 127.0.0.1, once it exists. */
  ssh_port?: number;
  /** Set when a run is being placed on it, so the reaper leaves it alone meanwhile. */
  claimed_at?: string;
  /** When the reaper first saw it without active runs. */
  idle_since?: string;
  /**
   * The process creating it, while its create runs: an entry whose creator died (SIGKILL, crash)
   * mid-create is a leftover the next command removes (recover.ts). Cleared once the instance is up.
   */
  creator?: ProcessStamp;
  /**
   * The runs last seen active on it (by the reaper, or when submitted): if the instance disappears,
   * these were interrupted.
   */
  active_runs?: string[];
}

export interface PoolRecord {
  name: string;
  instances: PoolInstance[];
  /** The Pulumi state backend holding the pool's stack, so the reaper and later commands use the same one. */
  backend_url?: string;
}

const runsDir = (home: string): string => join(dstackDir(home), "runs");
const runFile = (home: string, name: string): string => join(runsDir(home), `${name}.json`);
const poolFile = (home: string, pool: string): string => join(dstackDir(home), "pools", `${pool}.json`);

export const readRun = (home: string, name: string): RunRecord | undefined =>
  readJson<RunRecord>(runFile(home, name));
export const writeRun = (home: string, run: RunRecord): void => writeJson(runFile(home, run.name), run);
export const removeRun = (home: string, name: string): void => removeFile(runFile(home, name));

export function listRuns(home: string): RunRecord[] {
  let files: string[];
  try {
    files = readdirSync(runsDir(home)).filter((f) => f.endsWith(".json"));
  } catch {
    return [];
  }
  return files
    .flatMap((f) => readRun(home, f.slice(0, -".json".length)) ?? [])
    .sort((a, b) => a.submitted_at.localeCompare(b.submitted_at));
}

export const readPool = (home: string, pool: string): PoolRecord =>
  readJson<PoolRecord>(poolFile(home, pool)) ?? { name: pool, instances: [] };
export const writePool = (home: string, pool: PoolRecord): void => writeJson(poolFile(home, pool.name), pool);
