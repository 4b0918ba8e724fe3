// What the CLI remembers of each run between commands: where it runs and how to reach it. Pulumi's state
// stays the truth about infrastructure and the pools (src/pools/pool-store.ts) say which instances exist;
// these records only say which instance and which agent to ask. One record per run in the record store.
import { z } from "zod";
import { recordStore } from "../home/record-stores.js";
import { ownerSchema } from "../home/owner.js";
import { appliedSpec, isoTime } from "../home/record-fields.js";
import type { RecordKind, RecordStore } from "../home/record-store.js";
import type { SshEndpoint } from "./agent-session.js";

export const runType = z.enum(["dev-environment", "task"]);

const runRecord = z.object({
  name: z.string(),
  type: runType,
  backend: z.string(),
  pool: z.string(),
  instance: z.string(),
  /** Where the instance landed; absent in records written before zones were recorded. */
  region: z.string().optional(),
  zone: z.string().nullable().optional(),
  /** The instance's sshd: host (absent in records written before clouds ran runs: 127.0.0.1), port, user. */
  instance_host: z.string().optional(),
  instance_ssh_port: z.number().int(),
  instance_ssh_user: z.string().optional(),
  /** The run's sshd inside the instance's network namespace. */
  run_ssh_port: z.number().int(),
  resources: z.string(),
  /** The offer it runs on (absent in records written before clouds ran runs). */
  instance_type: z.string().optional(),
  spot: z.boolean().optional(),
  price: z.number(),
  submitted_at: isoTime,
  config_file: z.string(),
  /** The normalized configuration as applied (secrets redacted), to detect in-place changes. */
  spec: appliedSpec,
  ports: z.array(z.object({ local: z.number().int().nullable(), container: z.number().int() })),
  /** The repository folder uploaded to the run: a resubmission uploads it again. */
  repo_dir: z.string().optional(),
  /** Set by the reaper when the run's instance disappeared while it ran and it was not resubmitted. */
  interrupted_at: isoTime.optional(),
  /** How many times the run was resubmitted (retry on interruption or error). */
  resubmissions: z.number().int().nonnegative().optional(),
  /** What the last resubmission followed (absent in records written before errors were retried). */
  resubmitted_after: z.enum(["interruption", "error"]).optional(),
  /** The first submission of a resubmitted run: retry.duration on errors counts from it. */
  first_submitted_at: isoTime.optional(),
  /** Set once the run failed with retry.duration used up: the reaper stops looking at it. */
  error_retry_ended: isoTime.optional(),
  /** Who submitted it (absent in records written before shared backends). */
  owner: ownerSchema.optional(),
});

export type RunRecord = z.infer<typeof runRecord>;

export const RUN_KIND: RecordKind<RunRecord> = {
  noun: "run",
  version: 1,
  schema: runRecord,
  key: (run) => run.name,
  order: (a, b) => a.submitted_at.localeCompare(b.submitted_at),
  whenRemoved: "dstack forgets the run; its instance stays in its pool until the reaper removes it",
};

export const runStore = (home: string): RecordStore<RunRecord> => recordStore(RUN_KIND, home, "runs");

export const readRun = (home: string, name: string): RunRecord | undefined => runStore(home).get(name);
export const writeRun = (home: string, run: RunRecord): void => runStore(home).put(run);
export const removeRun = (home: string, name: string): void => runStore(home).remove(name);
/** Every run that can be read (ps reports the others: src/toolkit/unreadable-records.ts). */
export const listRuns = (home: string): RunRecord[] => runStore(home).list().records;

/** Where the run's instance answers SSH. */
export const instanceEndpoint = (run: RunRecord): SshEndpoint => ({
  host: run.instance_host ?? "127.0.0.1",
  port: run.instance_ssh_port,
  user: run.instance_ssh_user ?? "root",
});
