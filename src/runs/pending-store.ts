// A run still waiting for capacity (`apply -d` under `retry`): its record, kept beside the run records
// (~/.dstack/pending/NAME.json) rather than among them, because it has no instance, no ports and no
// agent to ask yet. The background process retrying it owns the record and keeps it current; once the
// run is submitted, the record is replaced by an ordinary run record.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { dstackDir } from "../engine/state-backend.js";
import type { ProcessStamp } from "../process-identity.js";
import { readJson, removeFile, writeJson } from "../home/json-files.js";

export interface PendingRun {
  name: string;
  type: "dev-environment" | "task";
  /** The backend of the first attempt (the retrying may land on any configured one). */
  backend: string;
  /** `failed`: the retrying gave up (retry.duration ran out, or an error no retry can fix). */
  status: "pending" | "failed";
  /** Why it waits, e.g. "no capacity". */
  reason: string;
  /** Attempts made so far, over every pass. */
  attempts: number;
  /** The pass under way, or the last one that ended. */
  pass: number;
  /** When the next pass starts (ISO); null while a pass runs. */
  next_try_at: string | null;
  /** While an attempt runs: where, e.g. "local zone-a". */
  trying: string | null;
  /** The background process retrying it; null until it is started. */
  process: ProcessStamp | null;
  /** The name the instance gets once there is capacity. */
  instance: string;
  resources: string;
  submitted_at: string;
  /** retry.duration counts from submission: no pass starts after this (ISO). */
  retry_until: string;
  config_file: string;
  /** The folder `apply` ran in: the repository uploaded, and where the configuration is read again. */
  cwd: string;
  backend_url: string;
  /** The retrying process's output. */
  log_file: string;
  /** The normalized configuration as applied (secrets redacted): a changed file is noticed. */
  spec: Record<string, unknown>;
  /** Why it failed (status failed). */
  message?: string;
  /**
   * A resubmission after an interruption (started by the reaper, not by `apply`): the spec above is
   * the configuration to run, and the resubmitted run counts this many resubmissions.
   */
  resubmissions?: number;
  /** What the resubmission follows. */
  resubmitted_after?: "interruption" | "error";
  /** An error resubmission: the first submission's time, kept by the resubmitted run. */
  first_submitted_at?: string;
  /** An error resubmission goes to the instance the run failed on, while that instance exists. */
  on_instance?: string;
}

const pendingDir = (home: string): string => join(dstackDir(home), "pending");
const pendingFile = (home: string, name: string): string => join(pendingDir(home), `${name}.json`);

export const readPending = (home: string, name: string): PendingRun | undefined =>
  readJson<PendingRun>(pendingFile(home, name));
export const writePending = (home: string, run: PendingRun): void =>
  writeJson(pendingFile(home, run.name), run);
export const removePending = (home: string, name: string): void => removeFile(pendingFile(home, name));

/** Reads, patches and writes the record, unless it is gone (stopped meanwhile). */
export function updatePending(
  home: string,
  name: string,
  patch: Partial<PendingRun>,
): PendingRun | undefined {
  const current = readPending(home, name);
  if (current === undefined) return undefined;
  const next = { ...current, ...patch };
  writePending(home, next);
  return next;
}

export function listPending(home: string): PendingRun[] {
  let files: string[];
  try {
    files = readdirSync(pendingDir(home)).filter((f) => f.endsWith(".json"));
  } catch {
    return [];
  }
  return files
    .flatMap((f) => readPending(home, f.slice(0, -".json".length)) ?? [])
    .sort((a, b) => a.submitted_at.localeCompare(b.submitted_at));
}

/**
 * Whether the pending record is the run's current state: an older run of the same name (ended, or
 * `apply` would have refused) stays on file until the retrying submits and replaces it.
 */
export function pendingSupersedes(pending: PendingRun, run: { submitted_at: string } | undefined): boolean {
  return run === undefined || Date.parse(run.submitted_at) < Date.parse(pending.submitted_at);
}
