// Deleting a fleet: remove every instance from the fleet's pool (one update of its stack that destroys
// instances, network and key pair; volumes are retainOnDelete, so they stay in the cloud), remove the
// stack from the state, then forget the pool and the record. A fleet whose creating dstack was killed
// mid-update is cleaned the same way, after dropping the pending operations the killed update left;
// one still being created by a live dstack is left alone, and so is one whose agents report active runs.
import { clearPendingOperations, destroy } from "../engine/stack-runner.js";
import { UserError } from "../errors.js";
import type { PoolSet } from "../pools/pool-set.js";
import { activeRuns } from "../pools/active-runs.js";
import { readPool, removePool } from "../pools/pool-store.js";
import { stampAlive } from "../process-identity.js";
import { recordedTarget } from "./fleet-stack.js";
import { removeFleet, type FleetRecord } from "./store.js";

export interface DeleteFleetInput {
  home: string;
  fleet: FleetRecord;
  /** Opened on the state backend the fleet's stack lives in. */
  pools: PoolSet;
  signal?: AbortSignal;
  /** Delete even while the instances' agents report active runs (they end with the instances). */
  force?: boolean;
}

export async function deleteFleet(input: DeleteFleetInput): Promise<void> {
  const { fleet, home } = input;
  const creator = fleet.status === "provisioning" ? fleet.creator : undefined;
  if (creator !== undefined && stampAlive(creator))
    throw new UserError(
      "fleet-busy",
      `fleet ${fleet.name} is being created by dstack process ${creator.pid}`,
      "wait for that apply to finish (or press Ctrl-C in it: a cancelled apply leaves nothing)",
    );
  const pool = readPool(home, fleet.name);
  const busy =
    pool.fleet === fleet.name && input.force !== true
      ? await activeRuns(pool.instances, input.pools.ctx.privateKey)
      : [];
  if (busy.length > 0)
    throw new UserError(
      "fleet-busy",
      `fleet ${fleet.name} has active runs: ${busy.join(", ")}`,
      `stop ${busy.length === 1 ? "it" : "them"} first (dstack stop ${busy[0] ?? "NAME"}), or delete with --force (${busy.length === 1 ? "it ends" : "they end"} with the instances)`,
    );
  const target = recordedTarget(input.pools.ctx.engine, fleet.stack);
  if (creator !== undefined) await clearPendingOperations(target);
  if (pool.fleet === fleet.name && pool.instances.length > 0)
    // Through the fleet's pool, under its lock (a run being placed meanwhile waits); the last instance
    // takes the stack with it.
    await input.pools.forRecord(pool).removeAll(pool.instances.map((i) => i.name));
  // A fleet recorded before fleets were pools: its stack, from the state alone.
  else
    await destroy(target, { signal: input.signal, onOutput: input.pools.ctx.engine.onOutput, remove: true });
  removePool(home, fleet.name);
  removeFleet(home, fleet.name);
}
