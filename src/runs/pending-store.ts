// A run still waiting for capacity (`apply -d` under `retry`): its record, kept beside the run records
// (~/.dstack/pending/NAME.json) rather than among them, because it has no instance, no ports and no
// agent to ask yet. The background process retrying it owns the record and keeps it current; once the
// run is submitted, the record is replaced by an ordinary run record. One record store kind.
import { ownerSchema } from "../home/owner.js";
import { z } from "zod";
import { recordStore } from "../home/record-stores.js";
import { appliedSpec, isoTime, processStampSchema } from "../home/record-fields.js";
import type { RecordKind, RecordStore } from "../home/record-store.js";
import { runType } from "./store.js";

const pendingRun = z.object({
  name: z.string(),
  type: runType,
  /** The backend of the first attempt (the retrying may land on any configured one). */
  backend: z.string(),
  /** `failed`: the retrying gave up (retry.duration ran out, or an error no retry can fix). */
  status: z.enum(["pending", "failed"]),
  /** Why it waits, e.g. "no capacity". */
  reason: z.string(),
  /** Attempts made so far, over every pass. */
  attempts: z.number().int().nonnegative(),
  /** The pass under way, or the last one that ended. */
  pass: z.number().int().nonnegative(),
  /** When the next pass starts (ISO); null while a pass runs. */
  next_try_at: isoTime.nullable(),
  /** While an attempt runs: where, e.g. "local zone-a". */
  trying: z.string().nullable(),
  /** The background process retrying it; null until it is started. */
  process: processStampSchema.nullable(),
  /** The name the instance gets once there is capacity. */
  instance: z.string(),
  resources: z.string(),
  submitted_at: isoTime,
  /** Who submitted it (absent in records written before shared backends). */
  owner: ownerSchema.optional(),
  /** retry.duration counts from submission: no pass starts after this (ISO). */
  retry_until: isoTime,
  config_file: z.string(),
  /** The folder `apply` ran in: the repository uploaded, and where the configuration is read again. */
  cwd: z.string(),
  backend_url: z.string(),
  /** The retrying process's output. */
  log_file: z.string(),
  /** The normalized configuration as applied (secrets redacted): a changed file is noticed. */
  spec: appliedSpec,
  /** Why it failed (status failed). */
  message: z.string().optional(),
  /**
   * A resubmission after an interruption (started by the reaper, not by `apply`): the spec above is
   * the configuration to run, and the resubmitted run counts this many resubmissions.
   */
  resubmissions: z.number().int().nonnegative().optional(),
  /** What the resubmission follows. */
  resubmitted_after: z.enum(["interruption", "error"]).optional(),
  /** An error resubmission: the first submission's time, kept by the resubmitted run. */
  first_submitted_at: isoTime.optional(),
  /** An error resubmission goes to the instance the run failed on, while that instance exists. */
  on_instance: z.string().optional(),
});

export type PendingRun = z.infer<typeof pendingRun>;

export const PENDING_KIND: RecordKind<PendingRun> = {
  noun: "pending run",
  version: 1,
  schema: pendingRun,
  key: (run) => run.name,
  order: (a, b) => a.submitted_at.localeCompare(b.submitted_at),
  whenRemoved: "dstack forgets the pending run; stop its background `dstack _provision` process too",
};

export const pendingStore = (home: string): RecordStore<PendingRun> =>
  recordStore(PENDING_KIND, home, "pending");

export const readPending = (home: string, name: string): PendingRun | undefined =>
  pendingStore(home).get(name);
export const writePending = (home: string, run: PendingRun): void => pendingStore(home).put(run);
export const removePending = (home: string, name: string): void => pendingStore(home).remove(name);

/** Reads, patches and writes the record, unless it is gone (stopped meanwhile). */
export const updatePending = (
  home: string,
  name: string,
  patch: Partial<PendingRun>,
): PendingRun | undefined => pendingStore(home).update(name, (current) => ({ ...current, ...patch }));

export const listPending = (home: string): PendingRun[] => pendingStore(home).list().records;

/**
 * Whether the pending record is the run's current state: an older run of the same name (ended, or
 * `apply` would have refused) stays on file until the retrying submits and replaces it.
 */
export function pendingSupersedes(pending: PendingRun, run: { submitted_at: string } | undefined): boolean {
  return run === undefined || Date.parse(run.submitted_at) < Date.parse(pending.submitted_at);
}
