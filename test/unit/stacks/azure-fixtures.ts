// Shared by the Azure stack tests: pool specs, and Pulumi mocks that record every registration and
// answer like azure-native would (ids, names, addresses), so a program runs without an engine or a cloud.
import type * as pulumi from "@pulumi/pulumi";
import {
  POOL_SPEC_VERSION,
  type PoolInstanceSpec,
  type PoolSpec,
  type PoolVolumeSpec,
} from "../../../src/stacks/pool-spec.js";

export const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGl2Z2l2Z2l2Z2l2Z2l2Z2l2Z2l2Z2l2Z2l2Z2l2Z2l2 dstack";
export const PROVIDER_TYPE = "pulumi:providers:azure-native";

export function instanceSpec(overrides: Partial<PoolInstanceSpec> = {}): PoolInstanceSpec {
  return {
    name: "box-0",
    instance_type: "Standard_NC24ads_A100_v4",
    accelerator: null,
    tpu: false,
    gpu_vendor: "nvidia",
    gpu_count: 1,
    zone: null,
    spot: false,
    max_price: null,
    reservation: null,
    disk_gb: 100,
    image: null,
    volumes: [],
    ...overrides,
  };
}

export function volumeSpec(overrides: Partial<PoolVolumeSpec> = {}): PoolVolumeSpec {
  return { name: "data", size_gb: 500, zone: null, volume_id: null, ...overrides };
}

export function poolSpec(pool: string, overrides: Partial<PoolSpec> = {}): PoolSpec {
  return {
    pool_spec_version: POOL_SPEC_VERSION,
    project: "team",
    pool,
    backend: "azure",
    region: "eastus",
    network: {},
    ports: [],
    ssh_public_keys: [KEY],
    instances: [instanceSpec()],
    volumes: [],
    ...overrides,
  };
}

export interface Registration {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  provider: string | undefined;
  custom: boolean;
  id: string;
}

/** Every registration the mocks saw, in order. */
export const registrations: Registration[] = [];

let address = 0;

/** The outputs azure-native computes that the program reads back. */
function computed(type: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const nameInput: Record<string, string> = {
    "azure-native:resources:ResourceGroup": "resourceGroupName",
    "azure-native:network:VirtualNetwork": "virtualNetworkName",
    "azure-native:network:Subnet": "subnetName",
    "azure-native:network:NetworkSecurityGroup": "networkSecurityGroupName",
    "azure-native:network:PublicIPAddress": "publicIpAddressName",
    "azure-native:network:NetworkInterface": "networkInterfaceName",
    "azure-native:compute:VirtualMachine": "vmName",
    "azure-native:compute:Disk": "diskName",
  };
  const key = nameInput[type];
  const out: Record<string, unknown> = key === undefined ? {} : { name: inputs[key] };
  address += 1;
  if (type === "azure-native:network:PublicIPAddress") out.ipAddress = `20.1.0.${address}`;
  if (type === "azure-native:network:NetworkInterface") {
    const configs = (inputs.ipConfigurations ?? []) as Record<string, unknown>[];
    out.ipConfigurations = configs.map((c) => ({ ...c, privateIPAddress: `10.0.0.${address}` }));
  }
  return out;
}

export const mocks: pulumi.runtime.Mocks = {
  newResource(args) {
    const inputs = args.inputs as Record<string, unknown>;
    const outputs = computed(args.type, inputs);
    const name = (outputs.name as string | undefined) ?? args.name;
    const id = `/subscriptions/sub/resourceGroups/rg/providers/${args.type}/${name}`;
    registrations.push({
      type: args.type,
      name: args.name,
      inputs,
      provider: args.provider,
      custom: args.custom ?? false,
      id,
    });
    return { id, state: { ...inputs, ...outputs } };
  },
  call(args) {
    // The fake provider plugin implements no functions: the program must not need any.
    throw new Error(`unexpected invoke ${args.token}`);
  },
};

/** Resolves an Output in a test (mocks resolve every value; none stays unknown). */
export function settle<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}
