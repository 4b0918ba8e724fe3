// A fleet whose retrying went to the background (`apply -d` under retry on no-capacity): the record
// says it is pending, why, how far the loop got and when it tries next, and which process carries it
// on (dstack _provision-fleet NAME); that process keeps the record in step with every attempt and
// wait. `ps` shows it as `pending (no capacity, attempt 7, next try in 2m)`, as it does pending runs.
import type { Attempt } from "../planner/attempt-plan.js";
import type { ProcessStamp } from "../process-identity.js";
import { fleetProvisionLogFile } from "../home/paths.js";
import { pendingStatus } from "../runs/pending-status.js";
import type { HandedOff, ProvisionState } from "../provisioning/provision.js";
import { retryingProgress } from "../provisioning/retrying-progress.js";
import type { FleetSpec } from "../compiler/spec.js";
import { readFleet, removeFleet, writeFleet, type FleetRecord, type FleetStackRef } from "./store.js";
import type { CloudBackend } from "../stacks/pool-spec.js";

export interface PendingFleetInput {
  name: string;
  spec: FleetSpec;
  /** The plan's first attempt: what the record shows until an attempt lands. */
  first: Attempt;
  stack: FleetStackRef;
  requirements: string;
  configFile: string;
  cwd: string;
  home: string;
  submittedAt: number;
}

export function pendingFleet(input: PendingFleetInput, handedOff: HandedOff): FleetRecord {
  const { first, spec, waiting } = { ...input, waiting: handedOff.waiting };
  return {
    name: input.name,
    status: "pending",
    backend: first.backend as CloudBackend,
    region: first.region,
    zone: first.zone,
    instance_type: first.instance_type,
    spot: first.spot,
    price: first.price,
    resources: input.requirements,
    nodes: spec.nodes,
    placement: spec.placement,
    instances: [],
    stack: input.stack,
    config_file: input.configFile,
    created_at: new Date(input.submittedAt).toISOString(),
    retrying: {
      reason: waiting.reason,
      pass: waiting.pass,
      attempts: waiting.attempts,
      next_try_at: new Date(waiting.nextTryAt).toISOString(),
      trying: null,
      process: null,
      submitted_at: new Date(input.submittedAt).toISOString(),
      cwd: input.cwd,
      log_file: fleetProvisionLogFile(input.home, input.name),
      spec: JSON.parse(JSON.stringify(spec)) as Record<string, unknown>,
    },
  };
}

/** Records the pending fleet, then starts its background process; nothing stays if that fails. */
export function handOffFleet(
  home: string,
  pending: FleetRecord,
  start: (pending: FleetRecord) => ProcessStamp,
): FleetRecord {
  writeFleet(home, pending);
  try {
    const stamp = start(pending);
    const started = {
      ...pending,
      ...(pending.retrying && { retrying: { ...pending.retrying, process: stamp } }),
    };
    writeFleet(home, started);
    return started;
  } catch (error) {
    removeFleet(home, pending.name);
    throw error;
  }
}

/** The background process follows its loop in the record: the attempt under way, or the wait. */
export function followFleet(home: string, name: string, state: ProvisionState): void {
  const fleet = readFleet(home, name);
  if (fleet?.retrying === undefined) return;
  writeFleet(home, { ...fleet, retrying: { ...fleet.retrying, ...retryingProgress(state) } });
}

/** `pending (no capacity, attempt 7, next try in 2m)`, or why the retrying ended: as pending runs show. */
export function pendingFleetText(fleet: FleetRecord, processAlive: boolean, now: number): string {
  const r = fleet.retrying;
  if (r === undefined) return fleet.status;
  return pendingStatus({ ...r, status: fleet.status === "failed" ? "failed" : "pending" }, processAlive, now)
    .text;
}
