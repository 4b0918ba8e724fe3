// The agent's persisted state: data_dir/state.json, written whole to a temp file and renamed, so a crash
// leaves either the old or the new file. Registry credentials and env values (secrets, often) are never
// written: a run needs them only until its container is created.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { BuildSpec } from "./build-spec.js";
import type { ActivityState } from "./inactivity.js";
import type { JobSpec } from "./spec.js";

export type RunStatus = "pending" | "pulling" | "running" | "exited" | "failed" | "stopped";
export type StopReason = "inactivity" | "max_duration" | "stopped_by_user" | "error" | "image_pull_failed";

export interface RunRecord extends ActivityState {
  spec: Omit<JobSpec, "registry_auth">;
  status: RunStatus;
  exit_code: number | null;
  stop_reason: StopReason | null;
  /** why it failed, in the daemon's or the agent's words */
  message: string | null;
  container_id: string | null;
  ssh_port: number;
  /** sshd listens on ssh_port (watched for after the start, then seen on each supervision tick) */
  ssh_ready: boolean;
  repo_uploaded: boolean;
  submitted_at: number;
  started_at: number | null;
  finished_at: number | null;
}

export type BuildStatus =
  "pending" | "pulling" | "building" | "committing" | "pushing" | "succeeded" | "failed";

export interface BuildRecord {
  spec: Omit<BuildSpec, "registry_auth" | "base_registry_auth">;
  status: BuildStatus;
  /** the commands' exit code, once they ended */
  exit_code: number | null;
  /** why it failed */
  message: string | null;
  /** the last lines of the commands' output when they failed */
  log_tail: string | null;
  container_id: string | null;
  repo_uploaded: boolean;
  /** the pushed manifest's digest and the image's size in bytes */
  digest: string | null;
  size: number | null;
  started_at: number;
  finished_at: number | null;
}

/** The instance's own idle bookkeeping (self-stop.ts). */
export interface InstanceRecord {
  /** When the agent first started on this instance (ms). */
  started_at: number;
  /** The last claim by a CLI (a run is about to be submitted) (ms). */
  touched_at?: number;
  /** The idle_duration set through the API, overriding the configuration's (null: never). */
  idle_duration_s?: number | null;
}

export interface AgentState {
  version: 1;
  runs: Record<string, RunRecord>;
  /** Absent in state files of agents older than builds. */
  builds?: Record<string, BuildRecord>;
  /** Absent in state files of older agents: created at start. */
  instance?: InstanceRecord;
}

export function isFinished(status: RunStatus): boolean {
  return status === "exited" || status === "failed" || status === "stopped";
}

export function isBuildFinished(status: BuildStatus): boolean {
  return status === "succeeded" || status === "failed";
}

/** Runs share the network namespace, so each live run gets its own sshd port: the lowest free one. */
export function allocateSshPort(state: AgentState, base: number): number {
  const used = new Set(
    Object.values(state.runs)
      .filter((r) => !isFinished(r.status))
      .map((r) => r.ssh_port),
  );
  let port = base;
  while (used.has(port)) port++;
  return port;
}

export function loadState(path: string): AgentState {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return { version: 1, runs: {} };
  }
  const state = JSON.parse(text) as AgentState;
  if (state.version !== 1) throw new Error(`${path}: unknown state version ${String(state.version)}`);
  return state;
}

export function saveState(path: string, state: AgentState): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  const json = JSON.stringify(state, (k, v: unknown) =>
    k === "registry_auth" ? undefined : k === "env" ? {} : v,
  );
  writeFileSync(tmp, json, { mode: 0o600 });
  renameSync(tmp, path);
}
