// From a compiled configuration and the offer chosen for it to the pool spec a stack is built from.
// Pure: the offer (backend, region, zone, type, spot) comes from the attempt plan; volumes come from the
// volume configurations the run or fleet mounts by name.
import type { FleetSpec, RunSpec, VolumeSpec } from "../compiler/spec.js";
import type { Attempt } from "../planner/attempt-plan.js";
import {
  CLOUD_BACKENDS,
  POOL_SPEC_VERSION,
  type CloudBackend,
  type NetworkSettings,
  type PoolInstanceSpec,
  type PoolSpec,
  type PoolVolumeSpec,
} from "./pool-spec.js";

export interface PoolPlanInput {
  spec: RunSpec | FleetSpec;
  attempt: Attempt;
  project: string;
  /** The network volumes the configuration mounts, resolved to their configurations. */
  volumes: readonly VolumeSpec[];
  network: NetworkSettings;
  sshPublicKeys: readonly string[];
}

export function isCloudBackend(backend: string): backend is CloudBackend {
  return (CLOUD_BACKENDS as readonly string[]).includes(backend);
}

/**
 * How many instances a configuration's pool holds: a task's nodes, one for other runs, a fleet's target
 * (at least one: a generated stack of an elastic `0..N` fleet still shows what one instance is).
 */
export function instanceCount(spec: RunSpec | FleetSpec): number {
  if (spec.type === "fleet") return Math.max(spec.nodes.target, 1);
  if (spec.type === "task") return spec.nodes;
  return 1;
}

function poolName(spec: RunSpec | FleetSpec): string {
  return spec.name ?? `${spec.type === "fleet" ? "fleet" : "run"}`;
}

function volumeSpec(volume: VolumeSpec): PoolVolumeSpec {
  return {
    name: volume.name,
    size_gb: volume.size ?? 0,
    zone: volume.availability_zone,
    volume_id: volume.volume_id,
  };
}

function declaredPorts(spec: RunSpec | FleetSpec): number[] {
  if (spec.type === "fleet") return [];
  const ports = spec.ports.map((p) => p.container);
  if (spec.type === "service") ports.push(spec.port);
  return [...new Set(ports)].sort((a, b) => a - b);
}

/** One instance of a pool on the attempt's offer and zone. */
export function instanceSpecFor(
  name: string,
  attempt: Attempt,
  limits: { max_price: number | null; reservation: string | null },
  volumes: string[] = [],
): PoolInstanceSpec {
  const offer = attempt.offer;
  const tpu = offer.gpu_vendor === "google";
  const accelerator = tpu
    ? { type: offer.instance_type, count: 1 }
    : offer.accelerator !== null
      ? { type: offer.accelerator, count: offer.gpu_count }
      : null;
  return {
    name,
    instance_type: offer.instance_type,
    accelerator,
    tpu,
    gpu_vendor: offer.gpu_vendor,
    gpu_count: offer.gpu_count,
    zone: attempt.zone,
    spot: attempt.spot,
    max_price: limits.max_price,
    reservation: limits.reservation,
    disk_gb: offer.disk_gb,
    image: null,
    volumes,
  };
}

export function poolSpecFor(input: PoolPlanInput): PoolSpec {
  const { attempt, spec } = input;
  if (!isCloudBackend(attempt.backend))
    throw new Error(`the ${attempt.backend} backend has no cloud pool (attempt ${attempt.n})`);
  const pool = poolName(spec);
  const volumeNames = input.volumes.map((v) => v.name);
  // Its agent powers an instance off this long (plus a grace) after its last job: a committed stack run
  // with plain `pulumi up` has no dstack reaper, and an idle GPU must not bill forever.
  const idle = spec.idle_duration === "off" ? null : spec.idle_duration;
  const instances: PoolInstanceSpec[] = Array.from({ length: instanceCount(spec) }, (_, i) => ({
    // A network volume attaches to one instance at a time: the first one.
    ...instanceSpecFor(`${pool}-${i}`, attempt, spec, i === 0 ? volumeNames : []),
    idle_duration_s: idle,
  }));
  return {
    pool_spec_version: POOL_SPEC_VERSION,
    project: input.project,
    pool,
    backend: attempt.backend,
    region: attempt.region,
    network: input.network,
    ports: declaredPorts(spec),
    ssh_public_keys: [...input.sshPublicKeys],
    instances,
    volumes: input.volumes.map(volumeSpec),
  };
}

/** A pool of volumes only: what a volume configuration compiles to. */
export function volumePoolSpec(volume: VolumeSpec, project: string, network: NetworkSettings): PoolSpec {
  if (!isCloudBackend(volume.backend)) throw new Error(`a ${volume.backend} volume is not a cloud volume`);
  return {
    pool_spec_version: POOL_SPEC_VERSION,
    project,
    pool: volume.name,
    backend: volume.backend,
    region: volume.region,
    network,
    ports: [],
    ssh_public_keys: [],
    instances: [],
    volumes: [volumeSpec(volume)],
  };
}
