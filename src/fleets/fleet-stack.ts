// A fleet is a pool declared in a file: its instances are added to the fleet's own cloud pool (one
// stack per fleet, in the project `dstack generate` gives it) through the same `Pool` every run's
// instance goes through, all of them on the attempt's offer and zone in one update.
import type { FleetSpec } from "../compiler/spec.js";
import type { StackTarget } from "../engine/stack-runner.js";
import type { Attempt } from "../planner/attempt-plan.js";
import { fleetPlace, POOL_PROJECT } from "../pools/cloud/cloud-pool.js";
import type { NewInstance } from "../pools/pool.js";
import type { EngineContext } from "../pools/stack-pool.js";
import { instanceCount } from "../stacks/pool-from-spec.js";
import { projectName } from "../stacks/project-name.js";
import type { FleetStackRef } from "./store.js";

/** Fleets run through the same engine context as every pool. */
export type FleetEngine = EngineContext;

/**
 * Every node of the fleet on the attempt's offer and zone (`placement: cluster` holds by construction),
 * named `<fleet>-<i>`, kept while idle for the fleet's idle_duration (dstack: 3 days by default).
 */
export function fleetInstances(spec: FleetSpec, name: string, attempt: Attempt): NewInstance[] {
  return Array.from({ length: instanceCount(spec) }, (_, i) => ({
    name: `${name}-${i}`,
    idle_duration: spec.idle_duration,
    attempt,
    max_price: spec.max_price,
    reservation: spec.reservation,
  }));
}

/** Where the fleet's stack lives once created on the attempt's backend. */
export function stackRef(
  fleet: string,
  attempt: Pick<Attempt, "backend">,
  backendUrl: string,
): FleetStackRef {
  const place = fleetPlace(fleet);
  return {
    project: projectName({ project: POOL_PROJECT, backend: attempt.backend as never, pool: place.specPool }),
    stack: place.stack,
    backend_url: backendUrl,
  };
}

/**
 * The recorded stack, for destroying it: destroy works from the state alone, so the program registers
 * nothing (a fleet deleted after an upgrade of dstack needs no rebuild of its spec).
 */
export function recordedTarget(engine: FleetEngine, ref: FleetStackRef): StackTarget {
  return {
    project: ref.project,
    stack: ref.stack,
    backend: engine.backend,
    pulumiBinDir: engine.pulumiBinDir,
    program: () => Promise.resolve({}),
    ...(engine.onNotice === undefined ? {} : { onNotice: engine.onNotice }),
  };
}
