// A cloud backend's pool: one stack (per backend and region for runs, per fleet for a fleet) whose pool
// spec lists every instance of the pool file, each on the offer and zone it was created from. Instances are reached at their public IP on the
// port and as the user the stack outputs; a refresh of the stack says which ones vanished.
import { refreshedIds, type StackTarget } from "../../engine/stack-runner.js";
import { connectSsh } from "../../ssh/connect.js";
import { instanceSpecFor } from "../../stacks/pool-from-spec.js";
import { currentOwner } from "../../home/owner.js";
import {
  POOL_SPEC_VERSION,
  type CloudBackend,
  type NetworkSettings,
  type PoolOutputs,
  type PoolSpec,
  type PoolVolumeSpec,
} from "../../stacks/pool-spec.js";
import { poolStack } from "../../stacks/pool-stack.js";
import { projectName } from "../../stacks/project-name.js";
import type { NewInstance } from "../pool.js";
import type { PoolInstance } from "../pool-store.js";
import { StackPool, type EngineContext, type OutputAddress, type PoolAdapter } from "../stack-pool.js";

/** The dstack project pools belong to (a team's namespace in names and tags), as `generate`'s default. */
export const POOL_PROJECT = "main";
export const POOL_STACK = "pool";
/** A fleet's pool is one stack per fleet project: the project already names the backend and the fleet. */
export const FLEET_STACK = "fleet";

/**
 * Where a cloud pool's instances live. Runs' pools: one per backend and region (pool file
 * `<backend>-<region>`, project `dstack-main-<backend>-default-<region>`, stack `pool`). A fleet's
 * pool: named after the fleet, in the project `dstack generate` gives the fleet (stack `fleet`), so a
 * fleet applied here and the same fleet generated into a folder are one project.
 */
export interface CloudPoolPlace {
  /** The pool's file name. */
  name: string;
  /** The pool's name in its spec (and so in the project's name and the resources' tags). */
  specPool: string;
  stack: string;
  fleet?: string;
}

export const cloudPoolName = (backend: string, region: string): string => `${backend}-${region}`;

export const runsPlace = (backend: string, region: string): CloudPoolPlace => ({
  name: cloudPoolName(backend, region),
  specPool: `default-${region}`,
  stack: POOL_STACK,
});

export const fleetPlace = (fleet: string): CloudPoolPlace => ({
  name: fleet,
  specPool: fleet,
  stack: FLEET_STACK,
  fleet,
});

/** The instance resource of each cloud's pool stack: what a refresh is asked about. */
export const INSTANCE_TYPES = [
  "aws:ec2/instance:Instance",
  "gcp:compute/instance:Instance",
  "gcp:tpu/v2Vm:V2Vm",
  "azure-native:compute:VirtualMachine",
];

export interface CloudPoolSettings {
  network: NetworkSettings;
  sshPublicKeys: readonly string[];
  /** To ask an instance's sshd whether it answers before a refresh is spent on it. */
  privateKey: string;
}

/** Whether the instance's sshd answers now (one try): the cheap check before a refresh. */
async function answers(instance: PoolInstance, privateKey: string): Promise<boolean> {
  if (instance.host === undefined || instance.ssh_port === undefined) return false;
  try {
    const client = await connectSsh(
      { host: instance.host, port: instance.ssh_port, username: instance.ssh_user ?? "root", privateKey },
      1,
    );
    client.end();
    return true;
  } catch {
    return false;
  }
}

export function cloudPoolSpec(
  backend: CloudBackend,
  region: string,
  settings: CloudPoolSettings,
  instances: readonly PoolInstance[],
  specPool = `default-${region}`,
): PoolSpec {
  return {
    pool_spec_version: POOL_SPEC_VERSION,
    project: POOL_PROJECT,
    pool: specPool,
    backend,
    region,
    network: settings.network,
    // Runs' ports travel through SSH forwards: only sshd faces the world.
    ports: [],
    // Pool-wide (AWS's key pair): the keys its existing instances were made with, so that a teammate's
    // update of a shared pool changes nothing of theirs; each instance's user data has its own.
    ssh_public_keys: [
      ...(instances.find((i) => i.spec?.ssh_public_keys !== undefined)?.spec?.ssh_public_keys ??
        settings.sshPublicKeys),
    ],
    instances: instances.flatMap((i) => (i.spec === undefined ? [] : [i.spec])),
    volumes: attachedVolumes(instances),
  };
}

/**
 * The existing volumes the instances attach (runs' recorded cloud volumes), once each: given by
 * volume_id, the stack attaches them and never creates or deletes them.
 */
function attachedVolumes(instances: readonly PoolInstance[]): PoolVolumeSpec[] {
  const byName = new Map<string, PoolVolumeSpec>();
  for (const i of instances)
    for (const v of i.attached_volumes ?? []) if (!byName.has(v.name)) byName.set(v.name, v);
  return [...byName.values()];
}

function cloudTarget(engine: EngineContext, spec: PoolSpec, stack: string): StackTarget {
  return {
    project: projectName(spec),
    stack,
    backend: engine.backend,
    pulumiBinDir: engine.pulumiBinDir,
    program: () => poolStack(spec),
    ...(engine.onNotice === undefined ? {} : { onNotice: engine.onNotice }),
  };
}

function cloudAdapter(
  backend: CloudBackend,
  region: string,
  engine: EngineContext,
  settings: CloudPoolSettings,
  place: CloudPoolPlace,
): PoolAdapter {
  const target = (instances: readonly PoolInstance[]): StackTarget =>
    cloudTarget(engine, cloudPoolSpec(backend, region, settings, instances, place.specPool), place.stack);
  return {
    backend,
    region,
    removeStackWhenEmpty: true,
    ...(place.fleet === undefined ? {} : { fleet: place.fleet }),
    target,
    addresses: (outputs): OutputAddress[] =>
      ((outputs.instances as PoolOutputs["instances"] | undefined) ?? []).map((i) => ({
        name: i.name,
        host: i.public_ip,
        port: i.ssh_port,
        user: i.ssh_user,
        zone: i.zone,
        id: i.id,
        private_ip: i.private_ip,
      })),
    details: (instance: NewInstance) => {
      const volumes = instance.volumes ?? [];
      return {
        spec: {
          ...instanceSpecFor(
            instance.name,
            instance.attempt,
            instance,
            volumes.map((v) => v.name),
          ),
          idle_duration_s: instance.idle_duration === "off" ? null : instance.idle_duration,
          ssh_public_keys: [...settings.sshPublicKeys],
        },
        owner: currentOwner(),
        ...(volumes.length === 0 ? {} : { attached_volumes: [...volumes] }),
      };
    },
    missing: async (instances) => {
      // An unanswered sshd may only be slow: a refresh of the stack (the cloud's word) confirms it.
      const silent: PoolInstance[] = [];
      for (const i of instances) if (!(await answers(i, settings.privateKey))) silent.push(i);
      if (silent.length === 0) return [];
      const ids = await refreshedIds(target(instances), { onOutput: engine.onOutput });
      const present = new Set(INSTANCE_TYPES.flatMap((t) => ids.get(t) ?? []));
      return silent.filter((i) => i.id !== undefined && !present.has(i.id)).map((i) => i.name);
    },
  };
}

export function cloudPool(
  home: string,
  backend: CloudBackend,
  region: string,
  engine: EngineContext,
  settings: CloudPoolSettings,
  place: CloudPoolPlace = runsPlace(backend, region),
): StackPool {
  return new StackPool(place.name, home, engine, cloudAdapter(backend, region, engine, settings, place));
}
