// Creating a fleet through the failover loop: each attempt runs the fleet's pool stack with every
// instance on the attempt's offer and zone. The fleet is recorded (status `provisioning`, with this
// process as creator) before the update, so a dstack killed mid-update leaves a record that `ps`
// reports and `delete` cleans up. A failed or cancelled attempt destroys the stack it started from
// nothing and removes the record: the next attempt starts from a clean slate, and nothing is orphaned.
import { clearPendingOperations, destroy, up, type StackTarget } from "../engine/stack-runner.js";
import type { Attempt } from "../planner/attempt-plan.js";
import { ownStamp } from "../process-identity.js";
import { CleanupFailed } from "../provisioning/cleanup-failed.js";
import { DEFAULT_ATTEMPT_TIMEOUT_S, type ProvisionTuning } from "../provisioning/provision-tuning.js";
import {
  provision,
  type ProvisionPolicy,
  type ProvisionState,
  type Provisioned,
} from "../provisioning/provision.js";
import type { CloudBackend, NetworkSettings, PoolOutputs } from "../stacks/pool-spec.js";
import { fleetPoolSpec, fleetTarget, stackRef, type FleetEngine } from "./fleet-stack.js";
import type { FleetPlan } from "./fleet-plan.js";
import { readFleet, removeFleet, writeFleet, type FleetInstance, type FleetRecord } from "./store.js";

export interface FleetProvisionInput {
  home: string;
  engine: FleetEngine;
  plan: FleetPlan;
  name: string;
  network: (backend: CloudBackend) => NetworkSettings;
  sshPublicKeys: readonly string[];
  configFile: string;
  /** Epoch ms of the submission: `retry.duration` counts from it. */
  submittedAt: number;
  tuning?: ProvisionTuning;
  signal?: AbortSignal;
  progress: (line: string) => void;
  /** apply -d: throw HandedOff where the loop would wait for capacity (see ProvisionPolicy). */
  handOff?: boolean;
  /** The background process: carry on an earlier loop, following it in the record. */
  resume?: ProvisionPolicy["resume"];
  onState?: (state: ProvisionState) => void;
  /** The pending record a failed attempt goes back to (else the record is removed). */
  pending?: FleetRecord;
}

function instancesOf(outputs: Record<string, unknown>): FleetInstance[] {
  const listed = (outputs.instances as PoolOutputs["instances"] | undefined) ?? [];
  return listed.map((i) => ({
    name: i.name,
    id: i.id,
    zone: i.zone,
    public_ip: i.public_ip,
    private_ip: i.private_ip,
    ssh_user: i.ssh_user,
    spot: i.spot,
  }));
}

/**
 * Back to no stack at all. A destroy that fails once is tried again after dropping pending operations
 * (an update cancelled mid-create may leave one, and the engine refuses to go on past it).
 */
async function undo(target: StackTarget, engine: FleetEngine): Promise<void> {
  const options = { onOutput: engine.onOutput, remove: true };
  try {
    await destroy(target, options);
  } catch {
    await clearPendingOperations(target);
    await destroy(target, options);
  }
}

function attemptFleet(input: FleetProvisionInput) {
  return async (attempt: Attempt, signal: AbortSignal): Promise<FleetRecord> => {
    const { spec } = input.plan;
    const backend = attempt.backend as CloudBackend;
    const pool = fleetPoolSpec({
      spec,
      name: input.name,
      attempt,
      network: input.network(backend),
      sshPublicKeys: input.sshPublicKeys,
    });
    const target = fleetTarget(input.engine, pool);
    // In the background: the retrying as the loop last recorded it (this attempt, the count so far).
    const retrying =
      input.pending?.retrying === undefined
        ? undefined
        : (readFleet(input.home, input.name)?.retrying ?? input.pending.retrying);
    const record: FleetRecord = {
      name: input.name,
      status: "provisioning",
      backend,
      region: attempt.region,
      zone: attempt.zone,
      instance_type: attempt.instance_type,
      spot: attempt.spot,
      price: attempt.price,
      resources: input.plan.requirements,
      nodes: spec.nodes,
      placement: spec.placement,
      instances: [],
      stack: stackRef(pool, input.engine.backend.url),
      config_file: input.configFile,
      created_at: new Date(input.submittedAt).toISOString(),
      creator: ownStamp(),
      // In the background: which process retries it, so that `delete` cancels rather than waits.
      ...(retrying === undefined ? {} : { retrying }),
    };
    writeFleet(input.home, record);
    try {
      const result = await up(target, { signal, onOutput: input.engine.onOutput });
      const done: FleetRecord = { ...record, status: "provisioned", instances: instancesOf(result.outputs) };
      delete done.creator;
      delete done.retrying;
      writeFleet(input.home, done);
      return done;
    } catch (error) {
      // Runs even when the update was cancelled: the cleanup gets no signal.
      try {
        await undo(target, input.engine);
      } catch (cleanup) {
        throw new CleanupFailed(
          `of fleet ${input.name}`,
          error,
          cleanup,
          `the fleet stays recorded as provisioning; \`dstack delete ${input.name}\` destroys its stack ${target.project}/${target.stack} once this dstack has exited`,
        );
      }
      if (input.pending === undefined) removeFleet(input.home, input.name);
      else writeFleet(input.home, { ...input.pending, ...(retrying === undefined ? {} : { retrying }) });
      throw error;
    }
  };
}

export function provisionFleet(input: FleetProvisionInput): Promise<Provisioned<FleetRecord>> {
  return provision(
    {
      plan: input.plan.planNow,
      attempt: attemptFleet(input),
      progress: input.progress,
      onState: input.onState,
    },
    {
      signal: input.signal,
      subject: `the fleet ${input.name} was not created`,
      attemptTimeoutMs: input.tuning?.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_S * 1000,
      backoffScale: input.tuning?.backoffScale ?? 1,
      retry: input.plan.spec.retry,
      submittedAt: input.submittedAt,
      handOff: input.handOff,
      resume: input.resume,
    },
  );
}
