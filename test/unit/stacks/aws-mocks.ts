// setMocks for the AWS pool tests. Records every registered resource (type, logical name, inputs,
// provider and parent references, and the options MockResourceArgs leave out but the monitor's request
// carries) and every invoke, and answers like a small us-east-1 account: a default VPC, one default
// subnet per AZ id, the two AMIs the pool looks up, and instances that land in their subnet's AZ.
import * as pulumi from "@pulumi/pulumi";
import type { PoolInstanceSpec, PoolOutputs, PoolSpec } from "../../../src/stacks/pool-spec.js";

type Inputs = Record<string, unknown>;

export interface Registered {
  type: string;
  name: string;
  inputs: Inputs;
  /** The provider reference (`urn::id`), for custom resources. */
  provider: string | undefined;
  custom: boolean;
  parent: string;
  retainOnDelete: boolean;
  deleteBeforeReplace: boolean;
  ignoreChanges: string[];
  dependencies: string[];
}

export interface Invoked {
  token: string;
  inputs: Inputs;
  provider: string | undefined;
}

export const registered: Registered[] = [];
export const invoked: Invoked[] = [];

export const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGl2Z2l2Z2l2Z2l2Z2l2Z2l2Z2l2Z2l2Z2l2Z2l2Z2l2 dstack";
export const KEY2 = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 laptop";
export const FAKE_AGENT = "// fake agent\nconsole.log('agent');\n";

/** The account's AZs: id -> name (names differ between accounts; ids do not). */
export const AZ_NAMES: Record<string, string> = {
  "use1-az1": "us-east-1c",
  "use1-az2": "us-east-1a",
  "use1-az4": "us-east-1d",
  "use1-az6": "us-east-1b",
};
export const DEFAULT_VPC = "vpc-0default";
export const DLAMI_ID = "ami-0dlami";
export const UBUNTU_ID = "ami-0ubuntu";

interface Filter {
  name: string;
  values: string[];
}

function filter(inputs: Inputs, name: string): string | undefined {
  return (inputs.filters as Filter[] | undefined)?.find((f) => f.name === name)?.values[0];
}

/** Default subnets are `subnet-<az id>`; configured ones (`subnet-custom-…`) sit in us-east-1a. */
function subnet(id: string): Inputs {
  const zoneId = id.replace(/^subnet-/, "");
  const name = AZ_NAMES[zoneId] ?? "us-east-1a";
  return { id, availabilityZone: name, availabilityZoneId: AZ_NAMES[zoneId] ? zoneId : "use1-az2" };
}

function answer(token: string, inputs: Inputs): Inputs {
  switch (token) {
    case "aws:ec2/getVpc:getVpc":
      return { id: DEFAULT_VPC, default: true, cidrBlock: "172.31.0.0/16" };
    case "aws:ec2/getSubnet:getSubnet": {
      const id =
        typeof inputs.id === "string" ? inputs.id : `subnet-${filter(inputs, "availability-zone-id")}`;
      return { ...subnet(id), vpcId: filter(inputs, "vpc-id") ?? DEFAULT_VPC, defaultForAz: true };
    }
    case "aws:ec2/getSubnets:getSubnets":
      return { id: "us-east-1", ids: ["subnet-use1-az6", "subnet-use1-az1", "subnet-use1-az4"] };
    case "aws:ec2/getAmi:getAmi": {
      const owners = inputs.owners as string[];
      const id = owners.includes("amazon") ? DLAMI_ID : UBUNTU_ID;
      return { id, imageId: id, name: filter(inputs, "name"), architecture: "x86_64" };
    }
    default:
      throw new Error(`unexpected invoke ${token}`);
  }
}

let serial = 0;

function outputsOf(type: string, name: string, inputs: Inputs): { id: string; state: Inputs } {
  serial += 1;
  switch (type) {
    case "aws:ec2/instance:Instance":
      return {
        id: `i-${name}`,
        state: {
          ...inputs,
          availabilityZone: subnet(String(inputs.subnetId)).availabilityZone,
          publicIp: `203.0.113.${serial}`,
          privateIp: `172.31.0.${serial}`,
        },
      };
    case "aws:ebs/volume:Volume":
      return { id: `vol-${name}`, state: inputs };
    case "aws:ec2/securityGroup:SecurityGroup":
      return { id: `sg-${name}`, state: inputs };
    case "aws:ec2/keyPair:KeyPair":
      return { id: String(inputs.keyName), state: inputs };
    default:
      return { id: `${name}-id`, state: inputs };
  }
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getRetainondelete(): boolean;
  getDeletebeforereplace(): boolean;
  getIgnorechangesList(): string[];
  getDependenciesList(): string[];
}
interface Monitor {
  registerResource(req: RegisterRequest, callback: unknown): unknown;
}
type Options = Pick<
  Registered,
  "parent" | "retainOnDelete" | "deleteBeforeReplace" | "ignoreChanges" | "dependencies"
>;
const options = new Map<string, Options>();

/** Installs the mocks; call before the module under test is imported. */
export async function installMocks(): Promise<void> {
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const inputs = args.inputs as Inputs;
        const recorded = options.get(`${args.type}::${args.name}`);
        if (recorded === undefined) throw new Error(`no options recorded for ${args.name}`);
        registered.push({
          type: args.type,
          name: args.name,
          inputs,
          provider: args.provider,
          custom: args.custom === true,
          ...recorded,
        });
        return outputsOf(args.type, args.name, inputs);
      },
      call(args) {
        const inputs = args.inputs as Inputs;
        invoked.push({ token: args.token, inputs, provider: args.provider });
        return answer(args.token, inputs);
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
      parent: req.getParent(),
      retainOnDelete: req.getRetainondelete(),
      deleteBeforeReplace: req.getDeletebeforereplace(),
      ignoreChanges: req.getIgnorechangesList(),
      dependencies: req.getDependenciesList(),
    });
    return register(req, callback);
  };
}

function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** The SDK's own "every registration has finished" (what `pulumi up` waits for before exiting). */
const waitForRPCs = (pulumi.runtime as unknown as { waitForRPCs: () => Promise<void> }).waitForRPCs;

export interface Built {
  outputs: PoolOutputs;
  resources: Registered[];
  invokes: Invoked[];
}

/** Builds a pool, waits for all of its registrations, and returns what it registered and invoked. */
export async function build(spec: PoolSpec, agentSource = FAKE_AGENT): Promise<Built> {
  const { awsPool } = await import("../../../src/stacks/aws/pool.js");
  registered.length = 0;
  invoked.length = 0;
  let outputs: PoolOutputs;
  try {
    outputs = await promiseOf(awsPool(spec, { agentSource }));
  } finally {
    // Also after a refusal: what was registered before it must not land in the next test's lists.
    await waitForRPCs();
  }
  return { outputs, resources: [...registered], invokes: [...invoked] };
}

export function ofType(resources: Registered[], type: string): Registered[] {
  return resources.filter((r) => r.type === type);
}

export function one(resources: Registered[], type: string, name?: string): Registered {
  const found = ofType(resources, type).filter((r) => name === undefined || r.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} ${name ?? ""}, got ${found.length}`);
  return found[0] as Registered;
}

export function instanceSpec(overrides: Partial<PoolInstanceSpec> = {}): PoolInstanceSpec {
  return {
    name: "gpu-pool-0",
    instance_type: "g5.xlarge",
    accelerator: null,
    tpu: false,
    gpu_vendor: "nvidia",
    gpu_count: 1,
    zone: "use1-az4",
    spot: false,
    max_price: null,
    reservation: null,
    disk_gb: 100,
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
    backend: "aws",
    region: "us-east-1",
    network: {},
    ports: [],
    ssh_public_keys: [KEY],
    instances: [instanceSpec()],
    volumes: [],
    ...overrides,
  };
}
