// Each volume dstack creates has its own stack, `volume-<name>` in the project `dstack` (beside the local
// pool's `pool-local`): no run, pool or fleet stack owns a volume, so no teardown of theirs can delete
// it; `dstack volume delete` destroys this stack and nothing else does. Locally the stack holds a Docker
// volume; on a cloud, the cloud's provider and the volume (an EBS volume, a persistent disk, a managed
// disk), created in one zone (volume-zone.ts) and not retained, so destroying the stack deletes it.
import type { VolumeSpec } from "../compiler/spec.js";
import type { StackTarget } from "../engine/stack-runner.js";
import { UserError } from "../errors.js";
import { configuredBackends } from "../pools/configured-backends.js";
import { POOL_PROJECT } from "../pools/cloud/cloud-pool.js";
import type { EngineContext } from "../pools/stack-pool.js";
import { localVolumeProgram } from "../stacks/local/volume-program.js";
import { isCloudBackend, volumePoolSpec } from "../stacks/pool-from-spec.js";
import type { NetworkSettings } from "../stacks/pool-spec.js";
import { cloudVolumeProgram } from "../stacks/volume-builder.js";
import type { VolumeStackRef } from "./store.js";

export const VOLUME_PROJECT = "dstack";

export const volumeStackName = (volume: string): string => `volume-${volume}`;

export function volumeStackRef(volume: string, engine: EngineContext): VolumeStackRef {
  return { project: VOLUME_PROJECT, stack: volumeStackName(volume), backend_url: engine.backend.url };
}

/**
 * Refuses, before anything is asked of Pulumi, a volume `apply` cannot create: a backend with no pools
 * here, or a cloud ~/.dstack/config.yml does not configure (its runs could never mount the volume).
 */
export function checkCreatable(spec: VolumeSpec, home?: string): void {
  const backend: string = spec.backend;
  if (backend !== "local" && !isCloudBackend(backend))
    throw new UserError(
      "unsupported",
      `creating a ${backend} volume with \`dstack apply\` is not supported`,
      `register an existing one with volume_id, or use backend: aws, gcp, azure or local`,
    );
  if (spec.backend === "local" || home === undefined) return;
  const configured = configuredBackends(home);
  const regions = configured.regions.get(spec.backend) ?? [];
  if (!configured.types.includes(spec.backend))
    throw new UserError(
      "backend-not-configured",
      `the ${spec.backend} backend is not configured, so no run could mount a volume there`,
      `add it to ~/.dstack/config.yml (backends: [{type: ${spec.backend}}]), then apply the volume again`,
    );
  if (regions.length > 0 && !regions.includes(spec.region))
    throw new UserError(
      "backend-not-configured",
      `the ${spec.backend} backend is configured for ${regions.join(", ")}, not ${spec.region}`,
      `add ${spec.region} to its regions in ~/.dstack/config.yml, or create the volume in one of those`,
    );
}

export interface VolumeTargetInput {
  /** The zone a cloud volume goes to (volume-zone.ts); ignored locally. */
  zone: string | null;
  /** The cloud's network settings (~/.dstack/config.yml): project, subscription, resource group. */
  network: NetworkSettings;
}

/** The stack that creates the volume the configuration describes. */
export function volumeTarget(
  spec: VolumeSpec,
  engine: EngineContext,
  cloud: VolumeTargetInput = { zone: null, network: {} },
): StackTarget {
  checkCreatable(spec);
  const program = isCloudBackend(spec.backend)
    ? cloudVolumeProgram(
        volumePoolSpec({ ...spec, availability_zone: cloud.zone }, POOL_PROJECT, cloud.network),
      )
    : localVolumeProgram({ volume: spec.name, dockerName: spec.name });
  return { ...base(volumeStackRef(spec.name, engine), engine), program };
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
