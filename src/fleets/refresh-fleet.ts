// Checking a fleet against the cloud (`dstack ps --refresh`): a refresh of its stack reads every
// resource back through its provider, so an instance that is gone (a spot instance reclaimed, one
// deleted in the console) leaves the state; the record then names it, and `ps` shows the fleet as
// interrupted. Nothing is created or deleted here: `dstack delete` cleans up, `apply` makes anew.
import { refreshedIds } from "../engine/stack-runner.js";
import { INSTANCE_TYPES } from "../pools/cloud/cloud-pool.js";
import { recordedTarget, type FleetEngine } from "./fleet-stack.js";
import { writeFleet, type FleetRecord } from "./store.js";

export async function refreshFleet(
  home: string,
  fleet: FleetRecord,
  engine: FleetEngine,
  signal?: AbortSignal,
): Promise<FleetRecord> {
  const ids = await refreshedIds(recordedTarget(engine, fleet.stack), { signal, onOutput: engine.onOutput });
  const present = new Set(INSTANCE_TYPES.flatMap((t) => ids.get(t) ?? []));
  const gone = fleet.instances.map((i) => i.id).filter((id) => !present.has(id));
  const checked: FleetRecord = { ...fleet, gone, checked_at: new Date().toISOString() };
  if (gone.length === 0) delete checked.gone;
  writeFleet(home, checked);
  return checked;
}
