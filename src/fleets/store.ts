// What the CLI remembers of each cloud fleet between commands: where its pool stack lives (Pulumi
// project, stack and state backend, so `delete` destroys exactly that stack) and what the stack's
// outputs said about its instances. Pulumi's state stays the truth; this file says which stack to ask.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { FleetSpec } from "../compiler/spec.js";
import { dstackDir } from "../engine/state-backend.js";
import type { ProcessStamp } from "../process-identity.js";
import { readJson, removeFile, writeJson } from "../home/json-files.js";
import type { CloudBackend } from "../stacks/pool-spec.js";

export interface FleetInstance {
  name: string;
  /** The cloud's id: `i-...`, a GCP instance id, an Azure VM id. */
  id: string;
  zone: string;
  public_ip: string;
  private_ip: string;
  ssh_user: string;
  spot: boolean;
}

export interface FleetStackRef {
  /** The Pulumi project: `dstack-<project>-<backend>-<fleet>`, as `dstack generate` names it. */
  project: string;
  stack: string;
  /** The Pulumi state backend holding it. */
  backend_url: string;
}

/** A fleet whose retrying (`apply -d` under retry on no-capacity) a background process carries on. */
export interface FleetRetrying {
  /** Why it waits, e.g. "no capacity". */
  reason: string;
  /** The pass under way, or the last one that ended. */
  pass: number;
  /** Attempts made so far, over every pass. */
  attempts: number;
  /** When the next pass starts (ISO); null while a pass runs. */
  next_try_at: string | null;
  /** While an attempt runs: where, e.g. "aws us-east-1 use1-az2". */
  trying: string | null;
  /** The `dstack _provision-fleet NAME` process; null until it is started. */
  process: ProcessStamp | null;
  /** retry.duration counts from submission (ISO). */
  submitted_at: string;
  /** The folder `apply` ran in: where the configuration is compiled again. */
  cwd: string;
  log_file: string;
  /** Why it failed (status failed). */
  message?: string;
  /** The configuration as confirmed (normalized, secrets redacted): a changed file is not created. */
  spec?: Record<string, unknown>;
}

export interface FleetRecord {
  name: string;
  /**
   * `provisioning` while an attempt's update runs (with `creator`), `provisioned` once the stack's
   * outputs are recorded. `pending` while a background process waits to retry (`retrying`), `failed`
   * once that retrying gave up. The agents on cloud instances are not reachable from here, so nothing
   * beyond what the stack reported is claimed.
   */
  status: "provisioning" | "provisioned" | "pending" | "failed";
  backend: CloudBackend;
  region: string;
  /** The attempt's zone (every instance of the attempt is placed there); null when the cloud picked. */
  zone: string | null;
  instance_type: string;
  spot: boolean;
  /** USD per hour per instance. */
  price: number;
  resources: string;
  nodes: FleetSpec["nodes"];
  placement: FleetSpec["placement"];
  instances: FleetInstance[];
  stack: FleetStackRef;
  config_file: string;
  created_at: string;
  /** The dstack process running the attempt, while it runs: a dead creator means it was killed. */
  creator?: ProcessStamp;
  /** Set while the fleet is retried in the background, and kept (with its message) when that failed. */
  retrying?: FleetRetrying;
  /** Ids of instances a refresh found gone from the cloud (a spot instance reclaimed, deleted by hand). */
  gone?: string[];
  /** When the fleet's stack was last read back from the cloud (`dstack ps --refresh`), ISO. */
  checked_at?: string;
}

const fleetsDir = (home: string): string => join(dstackDir(home), "fleets");
const fleetFile = (home: string, name: string): string => join(fleetsDir(home), `${name}.json`);

export const readFleet = (home: string, name: string): FleetRecord | undefined =>
  readJson<FleetRecord>(fleetFile(home, name));
export const writeFleet = (home: string, fleet: FleetRecord): void =>
  writeJson(fleetFile(home, fleet.name), fleet);
export const removeFleet = (home: string, name: string): void => removeFile(fleetFile(home, name));

export function listFleets(home: string): FleetRecord[] {
  let files: string[];
  try {
    files = readdirSync(fleetsDir(home)).filter((f) => f.endsWith(".json"));
  } catch {
    return [];
  }
  return files
    .flatMap((f) => readFleet(home, f.slice(0, -".json".length)) ?? [])
    .sort((a, b) => a.created_at.localeCompare(b.created_at));
}
