// What the CLI remembers of each run between commands: where it runs and how to reach it. Pulumi's state
// stays the truth about infrastructure and the pools (src/pools/pool-store.ts) say which instances exist;
// these files only say which instance and which agent to ask.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { runsDir } from "../home/paths.js";
import type { SshEndpoint } from "./agent-session.js";
import { readJson, removeFile, writeJson } from "../home/json-files.js";

export interface RunRecord {
  name: string;
  type: "dev-environment" | "task";
  backend: string;
  pool: string;
  instance: string;
  /** Where the instance landed; absent in records written before zones were recorded. */
  region?: string;
  zone?: string | null;
  /** The instance's sshd: host (absent in records written before clouds ran runs: 127.0.0.1), port, user. */
  instance_host?: string;
  instance_ssh_port: number;
  instance_ssh_user?: string;
  /** The run's sshd inside the instance's network namespace. */
  run_ssh_port: number;
  resources: string;
  /** The offer it runs on (absent in records written before clouds ran runs). */
  instance_type?: string;
  spot?: boolean;
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

const runFile = (home: string, name: string): string => join(runsDir(home), `${name}.json`);

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

/** Where the run's instance answers SSH. */
export const instanceEndpoint = (run: RunRecord): SshEndpoint => ({
  host: run.instance_host ?? "127.0.0.1",
  port: run.instance_ssh_port,
  user: run.instance_ssh_user ?? "root",
});
