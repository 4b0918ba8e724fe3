// What the CLI remembers of each cloud fleet between commands: where its pool stack lives (Pulumi
// project, stack and state backend, so `delete` destroys exactly that stack) and what the stack's
// outputs said about its instances. Pulumi's state stays the truth; this record says which stack to ask.
import { ownerSchema } from "../home/owner.js";
import { z } from "zod";
import type { FleetSpec } from "../compiler/spec.js";
import { recordStore } from "../home/record-stores.js";
import { appliedSpec, isoTime, processStampSchema } from "../home/record-fields.js";
import type { RecordKind, RecordStore } from "../home/record-store.js";
import { CLOUD_BACKENDS } from "../stacks/pool-spec.js";

const fleetInstance = z.object({
  name: z.string(),
  /** The cloud's id: `i-...`, a GCP instance id, an Azure VM id. */
  id: z.string(),
  zone: z.string(),
  public_ip: z.string(),
  private_ip: z.string(),
  ssh_user: z.string(),
  spot: z.boolean(),
});
export type FleetInstance = z.infer<typeof fleetInstance>;

const fleetStackRef = z.object({
  /** The Pulumi project: `dstack-<project>-<backend>-<fleet>`, as `dstack generate` names it. */
  project: z.string(),
  stack: z.string(),
  /** The Pulumi state backend holding it. */
  backend_url: z.string(),
});
export type FleetStackRef = z.infer<typeof fleetStackRef>;

/** A fleet whose retrying (`apply -d` under retry on no-capacity) a background process carries on. */
const fleetRetrying = z.object({
  /** Why it waits, e.g. "no capacity". */
  reason: z.string(),
  /** The pass under way, or the last one that ended. */
  pass: z.number().int().nonnegative(),
  /** Attempts made so far, over every pass. */
  attempts: z.number().int().nonnegative(),
  /** When the next pass starts (ISO); null while a pass runs. */
  next_try_at: isoTime.nullable(),
  /** While an attempt runs: where, e.g. "aws us-east-1 use1-az2". */
  trying: z.string().nullable(),
  /** The `dstack _provision-fleet NAME` process; null until it is started. */
  process: processStampSchema.nullable(),
  /** retry.duration counts from submission (ISO). */
  submitted_at: isoTime,
  /** The folder `apply` ran in: where the configuration is compiled again. */
  cwd: z.string(),
  log_file: z.string(),
  /** Why it failed (status failed). */
  message: z.string().optional(),
  /** The configuration as confirmed (normalized, secrets redacted): a changed file is not created. */
  spec: appliedSpec.optional(),
});
export type FleetRetrying = z.infer<typeof fleetRetrying>;

const fleetRecord = z.object({
  name: z.string(),
  /**
   * `provisioning` while an attempt's update runs (with `creator`), `provisioned` once the stack's
   * outputs are recorded. `pending` while a background process waits to retry (`retrying`), `failed`
   * once that retrying gave up. The agents on cloud instances are not reachable from here, so nothing
   * beyond what the stack reported is claimed.
   */
  status: z.enum(["provisioning", "provisioned", "pending", "failed"]),
  backend: z.enum(CLOUD_BACKENDS),
  region: z.string(),
  /** The attempt's zone (every instance of the attempt is placed there); null when the cloud picked. */
  zone: z.string().nullable(),
  instance_type: z.string(),
  spot: z.boolean(),
  /** USD per hour per instance. */
  price: z.number(),
  resources: z.string(),
  nodes: z.object({
    min: z.number().int(),
    target: z.number().int(),
    max: z.number().int().nullable(),
  }) satisfies z.ZodType<FleetSpec["nodes"]>,
  placement: z.enum(["any", "cluster"]) satisfies z.ZodType<FleetSpec["placement"]>,
  instances: z.array(fleetInstance),
  stack: fleetStackRef,
  config_file: z.string(),
  created_at: isoTime,
  /** The dstack process running the attempt, while it runs: a dead creator means it was killed. */
  creator: processStampSchema.optional(),
  /** Who applied it (absent in records written before shared backends). */
  owner: ownerSchema.optional(),
  /** Set while the fleet is retried in the background, and kept (with its message) when that failed. */
  retrying: fleetRetrying.optional(),
  /** Ids of instances a refresh found gone from the cloud (a spot instance reclaimed, deleted by hand). */
  gone: z.array(z.string()).optional(),
  /** When the fleet's stack was last read back from the cloud (`dstack ps --refresh`), ISO. */
  checked_at: isoTime.optional(),
});
export type FleetRecord = z.infer<typeof fleetRecord>;

export const FLEET_KIND: RecordKind<FleetRecord> = {
  noun: "fleet",
  version: 1,
  schema: fleetRecord,
  key: (fleet) => fleet.name,
  order: (a, b) => a.created_at.localeCompare(b.created_at),
  whenRemoved:
    "dstack forgets the fleet, not its instances: destroy its stack with `pulumi destroy` first (project and stack are in the file)",
};

export const fleetStore = (home: string): RecordStore<FleetRecord> => recordStore(FLEET_KIND, home, "fleets");

export const readFleet = (home: string, name: string): FleetRecord | undefined => fleetStore(home).get(name);
export const writeFleet = (home: string, fleet: FleetRecord): void => fleetStore(home).put(fleet);
export const removeFleet = (home: string, name: string): void => fleetStore(home).remove(name);
export const listFleets = (home: string): FleetRecord[] => fleetStore(home).list().records;
