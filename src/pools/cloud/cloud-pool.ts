// A cloud backend's pool for runs: one stack per backend and region (project
// `dstack-main-<backend>-default-<region>`) whose pool spec lists every instance of the pool file,
// each on the offer and zone it was created from. Instances are reached at their public IP on the
// port and as the user the stack outputs; a refresh of the stack says which ones vanished.
import { refreshedIds, type StackTarget } from "../../engine/stack-runner.js";
import { connectSsh } from "../../ssh/connect.js";
import { instanceSpecFor } from "../../stacks/pool-from-spec.js";
import {
  POOL_SPEC_VERSION,
  type CloudBackend,
  type NetworkSettings,
  type PoolOutputs,
  type PoolSpec,
} from "../../stacks/pool-spec.js";
import { poolStack } from "../../stacks/pool-stack.js";
import { projectName } from "../../stacks/project-name.js";
import type { NewInstance } from "../pool.js";
import type { PoolInstance } from "../pool-store.js";
import { StackPool, type EngineContext, type OutputAddress, type PoolAdapter } from "../stack-pool.js";

/** The dstack project runs' pools belong to (a team's namespace in names and tags), as fleets'. */
export const POOL_PROJECT = "main";
export const POOL_STACK = "pool";

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

export const cloudPoolName = (backend: string, region: string): string => `${backend}-${region}`;

export function cloudPoolSpec(
  backend: CloudBackend,
  region: string,
  settings: CloudPoolSettings,
  instances: readonly PoolInstance[],
): PoolSpec {
  return {
    pool_spec_version: POOL_SPEC_VERSION,
    project: POOL_PROJECT,
    pool: `default-${region}`,
    backend,
    region,
    network: settings.network,
    // Runs' ports travel through SSH forwards: only sshd faces the world.
    ports: [],
    ssh_public_keys: [...settings.sshPublicKeys],
    instances: instances.flatMap((i) => (i.spec === undefined ? [] : [i.spec])),
    volumes: [],
  };
}

function cloudTarget(engine: EngineContext, spec: PoolSpec): StackTarget {
  return {
    project: projectName(spec),
    stack: POOL_STACK,
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
): PoolAdapter {
  const target = (instances: readonly PoolInstance[]): StackTarget =>
    cloudTarget(engine, cloudPoolSpec(backend, region, settings, instances));
  return {
    backend,
    region,
    removeStackWhenEmpty: true,
    target,
    addresses: (outputs): OutputAddress[] =>
      ((outputs.instances as PoolOutputs["instances"] | undefined) ?? []).map((i) => ({
        name: i.name,
        host: i.public_ip,
        port: i.ssh_port,
        user: i.ssh_user,
        zone: i.zone,
        id: i.id,
      })),
    details: (instance: NewInstance) => ({
      spec: instanceSpecFor(instance.name, instance.attempt, instance),
    }),
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
): StackPool {
  return new StackPool(
    cloudPoolName(backend, region),
    home,
    engine,
    cloudAdapter(backend, region, engine, settings),
  );
}
