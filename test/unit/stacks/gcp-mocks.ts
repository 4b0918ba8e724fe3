// setMocks for the GCP pool tests: records every registered resource (type, logical name, inputs, the
// provider reference, and the retainOnDelete and ignoreChanges options, which MockResourceArgs leave
// out and the mock monitor's request carries)
// and answers with the outputs GCP would add (self links, IPs). Invokes fail: the pool must not use any.
import * as pulumi from "@pulumi/pulumi";
import type { PoolInstanceSpec, PoolOutputs, PoolSpec } from "../../../src/stacks/pool-spec.js";

export interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  provider: string | undefined;
  retainOnDelete: boolean;
  ignoreChanges: string[];
}

export const registered: Registered[] = [];
const options = new Map<string, { retainOnDelete: boolean; ignoreChanges: string[] }>();

export const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGl2Z2l2Z2l2Z2l2Z2l2Z2l2Z2l2Z2l2Z2l2Z2l2Z2l2 dstack";
export const FAKE_AGENT = "// fake agent\nconsole.log('agent');\n";

export const TYPES = {
  pool: "dstack:gcp:Pool",
  provider: "pulumi:providers:gcp",
  instance: "gcp:compute/instance:Instance",
  tpu: "gcp:tpu/v2Vm:V2Vm",
  firewall: "gcp:compute/firewall:Firewall",
  disk: "gcp:compute/disk:Disk",
  attachedDisk: "gcp:compute/attachedDisk:AttachedDisk",
} as const;

type Inputs = Record<string, unknown>;

function outputsOf(type: string, name: string, inputs: Inputs): { id: string; state: Inputs } {
  const zone = typeof inputs.zone === "string" ? inputs.zone : "";
  const path = `projects/gcp-proj/zones/${zone}`;
  switch (type) {
    case "gcp:compute/instance:Instance":
      return {
        id: `${path}/instances/${String(inputs.name)}`,
        state: {
          ...inputs,
          selfLink: `https://www.googleapis.com/compute/v1/${path}/instances/${String(inputs.name)}`,
          networkInterfaces: [{ networkIp: "10.128.0.2", accessConfigs: [{ natIp: "34.1.2.3" }] }],
        },
      };
    case "gcp:tpu/v2Vm:V2Vm":
      return {
        id: `projects/gcp-proj/locations/${zone}/nodes/${String(inputs.name)}`,
        state: {
          ...inputs,
          networkEndpoints: [
            { ipAddress: "10.128.0.3", port: 8470, accessConfigs: [{ externalIp: "35.1.2.3" }] },
          ],
        },
      };
    case "gcp:compute/disk:Disk":
      return {
        id: `${path}/disks/${String(inputs.name)}`,
        state: {
          ...inputs,
          selfLink: `https://www.googleapis.com/compute/v1/${path}/disks/${String(inputs.name)}`,
        },
      };
    default:
      return { id: `${name}-id`, state: inputs };
  }
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getRetainondelete(): boolean;
  getIgnorechangesList(): string[];
}
interface Monitor {
  registerResource(req: RegisterRequest, callback: unknown): unknown;
}

/** Installs the mocks; call before the module under test is imported. */
export async function installMocks(): Promise<void> {
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const inputs = args.inputs as Inputs;
        registered.push({
          type: args.type,
          name: args.name,
          inputs,
          provider: args.provider,
          retainOnDelete: false,
          ignoreChanges: [],
          ...options.get(`${args.type}::${args.name}`),
        });
        return outputsOf(args.type, args.name, inputs);
      },
      call(args) {
        throw new Error(`unexpected invoke ${args.token}: the GCP pool must not look anything up`);
      },
    },
    "proj",
    "stack",
    false,
  );
  // MockResourceArgs do not carry resource options; the monitor's request does.
  const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    options.set(`${req.getType()}::${req.getName()}`, {
      retainOnDelete: req.getRetainondelete(),
      ignoreChanges: req.getIgnorechangesList(),
    });
    return register(req, callback);
  };
}

export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

export interface Built {
  outputs: PoolOutputs;
  resources: Registered[];
}

/** Builds a pool and returns its outputs and the resources it registered. */
export async function build(spec: PoolSpec, agentSource = FAKE_AGENT): Promise<Built> {
  const { gcpPool } = await import("../../../src/stacks/gcp/pool.js");
  const start = registered.length;
  const outputs = await promiseOf(gcpPool(spec, { agentSource }));
  return { outputs, resources: registered.slice(start) };
}

export function ofType(resources: Registered[], type: string): Registered[] {
  return resources.filter((r) => r.type === type);
}

export function onlyOfType(resources: Registered[], type: string): Registered {
  const found = ofType(resources, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, got ${found.length}`);
  return found[0] as Registered;
}

export function instanceSpec(overrides: Partial<PoolInstanceSpec> = {}): PoolInstanceSpec {
  return {
    name: "gpu-0",
    instance_type: "n1-standard-8",
    accelerator: { type: "nvidia-tesla-t4", count: 1 },
    tpu: false,
    gpu_vendor: "nvidia",
    gpu_count: 1,
    zone: "us-central1-b",
    spot: false,
    max_price: null,
    reservation: null,
    disk_gb: 120,
    image: null,
    volumes: [],
    ...overrides,
  };
}

export function poolSpec(overrides: Partial<PoolSpec> = {}): PoolSpec {
  return {
    pool_spec_version: 1,
    project: "main",
    pool: "gpu-pool",
    backend: "gcp",
    region: "us-central1",
    network: { project: "gcp-proj" },
    ports: [],
    ssh_public_keys: [KEY],
    instances: [instanceSpec()],
    volumes: [],
    ...overrides,
  };
}
