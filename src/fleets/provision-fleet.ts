// Creating a fleet through the failover loop: each attempt adds every node of the fleet to the fleet's
// pool (the same `Pool.addAll` a run's instance goes through, under the pool lock), on the attempt's
// offer and zone. The fleet is recorded (status `provisioning`, with this process as creator) before
// the update, so a dstack killed mid-update leaves a record that `ps` reports and `delete` cleans up.
// A failed or cancelled attempt is removed again by the pool (its stack destroyed, since nothing else
// is in it) and the record goes: the next attempt starts from a clean slate, and nothing is orphaned.
import { currentOwner } from "../home/owner.js";
import type { Attempt } from "../planner/attempt-plan.js";
import type { PoolSet } from "../pools/pool-set.js";
import { readPool, removePool } from "../pools/pool-store.js";
import { ownStamp } from "../process-identity.js";
import { DEFAULT_ATTEMPT_TIMEOUT_S, type ProvisionTuning } from "../provisioning/provision-tuning.js";
import {
  provision,
  type ProvisionPolicy,
  type ProvisionState,
  type Provisioned,
} from "../provisioning/provision.js";
import type { CloudBackend } from "../stacks/pool-spec.js";
import { fleetInstances, stackRef } from "./fleet-stack.js";
import type { FleetPlan } from "./fleet-plan.js";
import { readFleet, removeFleet, writeFleet, type FleetInstance, type FleetRecord } from "./store.js";

export interface FleetProvisionInput {
  home: string;
  pools: PoolSet;
  plan: FleetPlan;
  name: string;
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

/** What the fleet's pool says of its nodes, as the fleet record shows them. */
function instancesOf(home: string, pool: string, names: readonly string[]): FleetInstance[] {
  const listed = readPool(home, pool).instances;
  return names.flatMap((name) => {
    const i = listed.find((l) => l.name === name);
    return i === undefined
      ? []
      : [
          {
            name: i.name,
            id: i.id ?? "",
            zone: i.zone ?? "",
            public_ip: i.host ?? "",
            private_ip: i.private_ip ?? "",
            ssh_user: i.ssh_user ?? "",
            spot: i.spot ?? false,
          },
        ];
  });
}

function attemptFleet(input: FleetProvisionInput) {
  return async (attempt: Attempt, signal: AbortSignal): Promise<FleetRecord> => {
    const { spec } = input.plan;
    const pool = input.pools.forFleet(input.name, attempt);
    // In the background: the retrying as the loop last recorded it (this attempt, the count so far).
    const retrying =
      input.pending?.retrying === undefined
        ? undefined
        : (readFleet(input.home, input.name)?.retrying ?? input.pending.retrying);
    const record: FleetRecord = {
      name: input.name,
      status: "provisioning",
      backend: attempt.backend as CloudBackend,
      region: attempt.region,
      zone: attempt.zone,
      instance_type: attempt.instance_type,
      spot: attempt.spot,
      price: attempt.price,
      resources: input.plan.requirements,
      nodes: spec.nodes,
      placement: spec.placement,
      instances: [],
      stack: stackRef(input.name, attempt, input.pools.ctx.engine.backend.url),
      config_file: input.configFile,
      created_at: new Date(input.submittedAt).toISOString(),
      creator: ownStamp(),
      owner: currentOwner(),
      // In the background: which process retries it, so that `delete` cancels rather than waits.
      ...(retrying === undefined ? {} : { retrying }),
    };
    writeFleet(input.home, record);
    try {
      const nodes = fleetInstances(spec, input.name, attempt);
      await pool.addAll(nodes, signal);
      const done: FleetRecord = {
        ...record,
        status: "provisioned",
        instances: instancesOf(
          input.home,
          pool.name,
          nodes.map((n) => n.name),
        ),
      };
      delete done.creator;
      delete done.retrying;
      writeFleet(input.home, done);
      return done;
    } catch (error) {
      // The pool removed the attempt's nodes (or says what it could not remove, with the fleet kept).
      if (readPool(input.home, pool.name).instances.length === 0) removePool(input.home, pool.name);
      else throw error;
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
