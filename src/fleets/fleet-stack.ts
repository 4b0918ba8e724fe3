// A fleet's pool stack: the pool spec of one attempt (every instance of the fleet on the attempt's
// offer, in its zone) and the engine target that runs it. The project is named as `dstack generate`
// names it, so a fleet applied here and the same fleet generated into a folder are one project.
import type { FleetSpec } from "../compiler/spec.js";
import type { StackTarget } from "../engine/stack-runner.js";
import type { EngineContext } from "../pools/stack-pool.js";
import type { Attempt } from "../planner/attempt-plan.js";
import { poolSpecFor } from "../stacks/pool-from-spec.js";
import type { NetworkSettings, PoolSpec } from "../stacks/pool-spec.js";
import { poolStack } from "../stacks/pool-stack.js";
import { projectName } from "../stacks/project-name.js";
import type { FleetStackRef } from "./store.js";

/** The dstack project fleets belong to (a team's namespace in names and tags), as `generate`'s default. */
export const FLEET_PROJECT = "main";
/** One stack per fleet project: the project already names the backend and the fleet. */
export const FLEET_STACK = "fleet";

/** Fleets run through the same engine context as every pool. */
export type FleetEngine = EngineContext;

export interface FleetPoolInput {
  spec: FleetSpec;
  /** The fleet's name: the configuration's, or a generated one. */
  name: string;
  attempt: Attempt;
  network: NetworkSettings;
  sshPublicKeys: readonly string[];
}

/** Every instance of the fleet on the attempt's offer and zone: `placement: cluster` holds by construction. */
export function fleetPoolSpec(input: FleetPoolInput): PoolSpec {
  return poolSpecFor({
    spec: { ...input.spec, name: input.name },
    attempt: input.attempt,
    project: FLEET_PROJECT,
    volumes: [],
    network: input.network,
    sshPublicKeys: input.sshPublicKeys,
  });
}

export function stackRef(pool: PoolSpec, backendUrl: string): FleetStackRef {
  return { project: projectName(pool), stack: FLEET_STACK, backend_url: backendUrl };
}

export function fleetTarget(engine: FleetEngine, pool: PoolSpec): StackTarget {
  return {
    project: projectName(pool),
    stack: FLEET_STACK,
    backend: engine.backend,
    pulumiBinDir: engine.pulumiBinDir,
    program: () => poolStack(pool),
    ...(engine.onNotice === undefined ? {} : { onNotice: engine.onNotice }),
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
