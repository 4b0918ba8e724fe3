// Deleting a fleet: destroy its pool stack (instances, network, key pair; volumes are retainOnDelete,
// so they stay in the cloud), remove the stack from the state, then forget the record. A fleet whose
// creating dstack was killed mid-update is cleaned the same way, after dropping the pending
// operations the killed update left; one still being created by a live dstack is left alone.
import { clearPendingOperations, destroy } from "../engine/stack-runner.js";
import { UserError } from "../errors.js";
import { stampAlive } from "../process-identity.js";
import { recordedTarget, type FleetEngine } from "./fleet-stack.js";
import { removeFleet, type FleetRecord } from "./store.js";

export interface DeleteFleetInput {
  home: string;
  fleet: FleetRecord;
  engine: FleetEngine;
  signal?: AbortSignal;
}

export async function deleteFleet(input: DeleteFleetInput): Promise<void> {
  const { fleet } = input;
  const creator = fleet.status === "provisioning" ? fleet.creator : undefined;
  if (creator !== undefined && stampAlive(creator))
    throw new UserError(
      "fleet-busy",
      `fleet ${fleet.name} is being created by dstack process ${creator.pid}`,
      "wait for that apply to finish (or press Ctrl-C in it: a cancelled apply leaves nothing)",
    );
  const target = recordedTarget(input.engine, fleet.stack);
  if (creator !== undefined) await clearPendingOperations(target);
  await destroy(target, { signal: input.signal, onOutput: input.engine.onOutput, remove: true });
  removeFleet(input.home, fleet.name);
}
