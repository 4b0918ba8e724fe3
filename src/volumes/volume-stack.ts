// Each volume dstack creates has its own stack, `volume-<name>` in the project `dstack` (beside the local
// pool's `pool-local`): no run, pool or fleet stack owns a volume, so no teardown of theirs can delete
// it; `dstack volume delete` destroys this stack and nothing else does.
import type { VolumeSpec } from "../compiler/spec.js";
import type { StackTarget } from "../engine/stack-runner.js";
import { UserError } from "../errors.js";
import type { EngineContext } from "../pools/stack-pool.js";
import { localVolumeProgram } from "../stacks/local/volume-program.js";
import type { VolumeStackRef } from "./store.js";

export const VOLUME_PROJECT = "dstack";

export const volumeStackName = (volume: string): string => `volume-${volume}`;

export function volumeStackRef(volume: string, engine: EngineContext): VolumeStackRef {
  return { project: VOLUME_PROJECT, stack: volumeStackName(volume), backend_url: engine.backend.url };
}

/** Refuses, before anything is asked of Pulumi, a volume `apply` cannot create. */
export function checkCreatable(spec: VolumeSpec): void {
  if (spec.backend !== "local")
    throw new UserError(
      "unsupported",
      `creating a ${spec.backend} volume with \`dstack apply\` is not supported yet`,
      `register an existing one with volume_id, or \`dstack generate -f FILE -o DIR\` writes its Pulumi project`,
    );
}

/** The stack that creates the volume the configuration describes. */
export function volumeTarget(spec: VolumeSpec, engine: EngineContext): StackTarget {
  checkCreatable(spec);
  return {
    ...base(volumeStackRef(spec.name, engine), engine),
    program: localVolumeProgram({ volume: spec.name, dockerName: spec.name }),
  };
}

/**
 * The recorded stack, for destroying it: destroy works from the state alone, so the program registers
 * nothing (a volume deleted after an upgrade of dstack needs no rebuild of its configuration).
 */
export function recordedVolumeTarget(ref: VolumeStackRef, engine: EngineContext): StackTarget {
  return { ...base(ref, engine), program: () => Promise.resolve({}) };
}

function base(ref: VolumeStackRef, engine: EngineContext): Omit<StackTarget, "program"> {
  return {
    project: ref.project,
    stack: ref.stack,
    backend: engine.backend,
    pulumiBinDir: engine.pulumiBinDir,
    ...(engine.onNotice === undefined ? {} : { onNotice: engine.onNotice }),
  };
}
