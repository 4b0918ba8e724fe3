import { readFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
// Types only (erased): the module itself loads after setMocks, below.
import type * as PoolModule from "../../../src/stacks/azure/pool.js";
import type { PoolOutputs, PoolSpec } from "../../../src/stacks/pool-spec.js";
import {
  KEY,
  PROVIDER_TYPE,
  instanceSpec,
  mocks,
  poolSpec,
  registrations,
  settle,
  volumeSpec,
  type Registration,
} from "./azure-fixtures.js";

// Mocks first, then the program's modules: nothing may reach for an engine before setMocks is in place.
let AzurePool: typeof PoolModule.AzurePool;
let azurePool: typeof PoolModule.azurePool;
beforeAll(async () => {
  await pulumi.runtime.setMocks(mocks, "proj", "stack", false);
  ({ AzurePool, azurePool } = await import("../../../src/stacks/azure/pool.js"));
});

const ALLOWED_TYPES = new Set([
  "azure-native:resources:ResourceGroup",
  "azure-native:network:VirtualNetwork",
  "azure-native:network:Subnet",
  "azure-native:network:NetworkSecurityGroup",
  "azure-native:network:PublicIPAddress",
  "azure-native:network:NetworkInterface",
  "azure-native:compute:VirtualMachine",
  "azure-native:compute:Disk",
]);
const VM = "azure-native:compute:VirtualMachine";
const FAKE_AGENT = "console.log('agent');";

interface Built {
  outputs: PoolOutputs;
  resources: Registration[];
  /** Resource options by logical name, as each resource was constructed. */
  options: Map<string, pulumi.ResourceOptions>;
}

async function build(spec: PoolSpec, agentSource = FAKE_AGENT): Promise<Built> {
  const start = registrations.length;
  const options = new Map<string, pulumi.ResourceOptions>();
  const pool = new AzurePool(
    spec,
    { agentSource },
    {
      transformations: [
        (args) => {
          options.set(args.name, args.opts);
          return undefined;
        },
      ],
    },
  );
  const outputs = await settle(pool.outputs);
  return { outputs, resources: registrations.slice(start), options };
}

const ofType = (built: Built, type: string): Registration[] => built.resources.filter((r) => r.type === type);

function one(built: Built, type: string): Registration {
  const found = ofType(built, type);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe("Azure pool: resources", () => {
  it("registers only the fake cloud's resource types, all through the pool's own provider", async () => {
    const built = await build(
      poolSpec("shape", { network: { subscription_id: "sub-1" }, volumes: [volumeSpec()] }),
    );
    const custom = built.resources.filter((r) => r.custom && r.type !== PROVIDER_TYPE);
    expect(new Set(custom.map((r) => r.type))).toEqual(ALLOWED_TYPES);
    const provider = one(built, PROVIDER_TYPE);
    expect(provider.inputs).toMatchObject({ location: "eastus", subscriptionId: "sub-1" });
    for (const r of custom) expect(r.provider, r.name).toContain(`${PROVIDER_TYPE}::shape-azure::`);
    expect(one(built, "dstack:azure:Pool").custom).toBe(false);
  });

  it("names resources stably from the spec, in Azure through resourceName", async () => {
    const built = await build(poolSpec("names"));
    expect(built.resources.map((r) => r.name).sort()).toEqual([
      "names",
      "names-azure",
      "names-box-0-ip",
      "names-box-0-nic",
      "names-box-0-vm",
      "names-nsg",
      "names-rg",
      "names-subnet",
      "names-vnet",
    ]);
    expect(one(built, "azure-native:resources:ResourceGroup").inputs).toMatchObject({
      resourceGroupName: "dstack-team-names",
      location: "eastus",
    });
    expect(one(built, VM).inputs).toMatchObject({ vmName: "dstack-team-names-box-0", location: "eastus" });
    for (const r of built.resources.filter((r) => r.custom && r.type !== PROVIDER_TYPE))
      expect(r.inputs.resourceGroupName, r.name).toBe("dstack-team-names");
  });

  it("uses an existing resource group instead of creating one", async () => {
    const built = await build(poolSpec("existing", { network: { resource_group: "shared-rg" } }));
    expect(ofType(built, "azure-native:resources:ResourceGroup")).toEqual([]);
    const custom = built.resources.filter((r) => r.custom && r.type !== PROVIDER_TYPE);
    expect(custom.length).toBeGreaterThan(0);
    for (const r of custom) expect(r.inputs.resourceGroupName, r.name).toBe("shared-rg");
    expect(one(built, PROVIDER_TYPE).inputs.subscriptionId).toBeUndefined();
  });

  it("opens 22 and the declared ports in one NSG that guards the subnet", async () => {
    const built = await build(poolSpec("ports", { ports: [8888, 6006, 22, 8888] }));
    const nsg = one(built, "azure-native:network:NetworkSecurityGroup");
    const rules = nsg.inputs.securityRules as Record<string, unknown>[];
    expect(rules.map((r) => [r.destinationPortRange, r.priority])).toEqual([
      ["22", 100],
      ["6006", 110],
      ["8888", 120],
    ]);
    for (const rule of rules)
      expect(rule).toMatchObject({
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        sourceAddressPrefix: "*",
      });
    const vnet = one(built, "azure-native:network:VirtualNetwork");
    expect(vnet.inputs.addressSpace).toEqual({ addressPrefixes: ["10.0.0.0/16"] });
    expect(one(built, "azure-native:network:Subnet").inputs).toMatchObject({
      addressPrefix: "10.0.0.0/20",
      virtualNetworkName: "dstack-team-ports-vnet",
      networkSecurityGroup: { id: nsg.id },
    });
  });

  it("tags every taggable resource, and per-instance ones with the instance", async () => {
    const built = await build(
      poolSpec("tags", {
        instances: [instanceSpec({ name: "a", volumes: ["data"] }), instanceSpec({ name: "b" })],
        volumes: [volumeSpec()],
      }),
    );
    const base = { "dstack-managed": "true", "dstack-project": "team", "dstack-pool": "tags" };
    const untaggable = new Set([PROVIDER_TYPE, "azure-native:network:Subnet", "dstack:azure:Pool"]);
    const taggable = built.resources.filter((r) => !untaggable.has(r.type));
    expect(taggable).toHaveLength(1 + 2 + 3 * 2 + 1);
    for (const r of taggable) expect(r.inputs.tags, r.name).toMatchObject(base);
    for (const type of ["PublicIPAddress", "NetworkInterface"]
      .map((t) => `azure-native:network:${t}`)
      .concat(VM)) {
      const tagged = ofType(built, type).map(
        (r) => (r.inputs.tags as Record<string, string>)["dstack-instance"],
      );
      expect(tagged.sort(), type).toEqual(["a", "b"]);
    }
    expect(one(built, "azure-native:compute:Disk").inputs.tags).toEqual({ ...base, "dstack-volume": "data" });
    expect(one(built, "azure-native:network:VirtualNetwork").inputs.tags).toEqual(base);
  });
});

describe("Azure pool: instances", () => {
  it("makes a spot VM that is deleted on eviction and pays up to on-demand by default", async () => {
    const built = await build(poolSpec("spot", { instances: [instanceSpec({ spot: true })] }));
    expect(one(built, VM).inputs).toMatchObject({
      priority: "Spot",
      evictionPolicy: "Delete",
      billingProfile: { maxPrice: -1 },
    });
    expect(built.outputs.instances[0]?.spot).toBe(true);
  });

  it("caps a spot VM at max_price", async () => {
    const built = await build(
      poolSpec("capped", { instances: [instanceSpec({ spot: true, max_price: 1.25 })] }),
    );
    expect(one(built, VM).inputs).toMatchObject({ priority: "Spot", billingProfile: { maxPrice: 1.25 } });
  });

  it("makes an on-demand VM without eviction or price settings", async () => {
    const built = await build(poolSpec("ondemand"));
    const vm = one(built, VM).inputs;
    expect(vm.priority).toBe("Regular");
    expect(vm.evictionPolicy).toBeUndefined();
    expect(vm.billingProfile).toBeUndefined();
    expect(vm.capacityReservation).toBeUndefined();
    expect(built.outputs.instances[0]?.spot).toBe(false);
  });

  it("sizes a 1-GPU A100 VM with the NVIDIA image, its disk, NIC and zone", async () => {
    const built = await build(
      poolSpec("one-gpu", { instances: [instanceSpec({ zone: "2", disk_gb: 200 })] }),
    );
    const nic = one(built, "azure-native:network:NetworkInterface");
    const ip = one(built, "azure-native:network:PublicIPAddress");
    const subnet = one(built, "azure-native:network:Subnet");
    expect(ip.inputs).toMatchObject({
      sku: { name: "Standard" },
      publicIPAllocationMethod: "Static",
      zones: ["2"],
    });
    expect(nic.inputs.ipConfigurations).toEqual([
      { name: "primary", primary: true, subnet: { id: subnet.id }, publicIPAddress: { id: ip.id } },
    ]);
    expect(one(built, VM).inputs).toMatchObject({
      hardwareProfile: { vmSize: "Standard_NC24ads_A100_v4" },
      zones: ["2"],
      storageProfile: {
        imageReference: { publisher: "microsoft-dsvm", offer: "ubuntu-hpc", sku: "2404", version: "latest" },
        osDisk: {
          createOption: "FromImage",
          diskSizeGB: 200,
          deleteOption: "Delete",
          managedDisk: { storageAccountType: "Premium_LRS" },
        },
        dataDisks: [],
      },
      networkProfile: { networkInterfaces: [{ id: nic.id, primary: true, deleteOption: "Delete" }] },
    });
  });

  it("sizes an 8-GPU ND96asr_v4 VM, a custom image URN kept as given", async () => {
    const built = await build(
      poolSpec("eight-gpu", {
        instances: [
          instanceSpec({
            instance_type: "Standard_ND96asr_v4",
            gpu_count: 8,
            disk_gb: 1000,
            image: "Canonical:ubuntu-24_04-lts:server:24.04.202501010",
          }),
        ],
      }),
    );
    expect(one(built, VM).inputs).toMatchObject({
      hardwareProfile: { vmSize: "Standard_ND96asr_v4" },
      storageProfile: {
        imageReference: {
          publisher: "Canonical",
          offer: "ubuntu-24_04-lts",
          sku: "server",
          version: "24.04.202501010",
        },
        osDisk: { diskSizeGB: 1000 },
      },
    });
    expect(one(built, VM).inputs.zones).toBeUndefined();
  });

  it("places a VM in a capacity reservation group", async () => {
    const group =
      "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Compute/capacityReservationGroups/a100";
    const built = await build(poolSpec("reserved", { instances: [instanceSpec({ reservation: group })] }));
    expect(one(built, VM).inputs.capacityReservation).toEqual({ capacityReservationGroup: { id: group } });
  });

  it("logs in with keys only, as Azure's admin user and (through user data) as root", async () => {
    const built = await build(poolSpec("login"));
    expect(one(built, VM).inputs.osProfile).toMatchObject({
      computerName: "dstack-team-login-box-0",
      adminUsername: "dstack",
      linuxConfiguration: {
        disablePasswordAuthentication: true,
        ssh: { publicKeys: [{ path: "/home/dstack/.ssh/authorized_keys", keyData: KEY }] },
      },
    });
    expect(built.outputs.instances[0]).toMatchObject({ ssh_user: "root", ssh_port: 22 });
  });

  it("carries the real agent in customData: cloud-config, under 64 KiB, no private key", async () => {
    const agent = readFileSync(new URL("../../../dist/agent/dstack-agent.js", import.meta.url), "utf8");
    const built = await build(poolSpec("userdata"), agent);
    const os = one(built, VM).inputs.osProfile as { customData: string };
    const text = Buffer.from(os.customData, "base64").toString("utf8");
    expect(Buffer.from(text, "utf8").toString("base64")).toBe(os.customData);
    expect(text.startsWith("#cloud-config\n")).toBe(true);
    expect(Buffer.byteLength(text)).toBeLessThan(64 * 1024);
    expect(text).not.toMatch(/PRIVATE KEY/);
    const doc = parse(text) as { users: { name: string; ssh_authorized_keys: string[] }[] };
    expect(doc.users[0]).toEqual(expect.objectContaining({ name: "root", ssh_authorized_keys: [KEY] }));
  });

  it("exports each instance's id, zone and addresses", async () => {
    const built = await build(poolSpec("outputs", { instances: [instanceSpec({ zone: "1", spot: true })] }));
    const vm = one(built, VM);
    const [instance] = built.outputs.instances;
    expect(instance).toEqual({
      name: "box-0",
      id: vm.id,
      zone: "1",
      public_ip: expect.stringMatching(/^20\.1\.0\.\d+$/) as unknown,
      private_ip: expect.stringMatching(/^10\.0\.0\.\d+$/) as unknown,
      ssh_user: "root",
      ssh_port: 22,
      spot: true,
    });
  });

  it("is what the azure builder returns", async () => {
    const outputs = await settle(azurePool(poolSpec("builder"), { agentSource: FAKE_AGENT }));
    expect(outputs.instances.map((i) => i.name)).toEqual(["box-0"]);
    expect(outputs.volumes).toEqual([]);
  });
});

describe("Azure pool: volumes", () => {
  const existing = "/subscriptions/sub/resourceGroups/keep/providers/Microsoft.Compute/disks/old";
  const spec = poolSpec("vols", {
    instances: [instanceSpec({ zone: "1", volumes: ["data", "old"] })],
    volumes: [volumeSpec({ zone: "1" }), volumeSpec({ name: "old", volume_id: existing })],
  });

  it("creates a disk for a new volume only, retained on delete", async () => {
    const built = await build(spec);
    const disk = one(built, "azure-native:compute:Disk");
    expect(disk.inputs).toMatchObject({
      diskName: "dstack-team-vols-data",
      diskSizeGB: 500,
      creationData: { createOption: "Empty" },
      sku: { name: "Premium_LRS" },
      zones: ["1"],
    });
    expect(built.options.get(disk.name)?.retainOnDelete).toBe(true);
    expect(built.outputs.volumes).toEqual([
      { name: "data", id: disk.id },
      { name: "old", id: existing },
    ]);
  });

  it("attaches volumes to the VM, detached (never deleted) with it", async () => {
    const built = await build({ ...spec, pool: "vols-attach" });
    const disk = one(built, "azure-native:compute:Disk");
    const storage = one(built, VM).inputs.storageProfile as { dataDisks: unknown[] };
    expect(storage.dataDisks).toEqual([
      { lun: 0, createOption: "Attach", managedDisk: { id: disk.id }, deleteOption: "Detach" },
      { lun: 1, createOption: "Attach", managedDisk: { id: existing }, deleteOption: "Detach" },
    ]);
  });

  it("retains a pool-created resource group while it holds new disks (Azure deletes a group's contents)", async () => {
    const withDisks = await build({ ...spec, pool: "vols-rg" });
    const rg = one(withDisks, "azure-native:resources:ResourceGroup");
    expect(withDisks.options.get(rg.name)?.retainOnDelete).toBe(true);
    const without = await build(poolSpec("no-vols-rg"));
    const rg2 = one(without, "azure-native:resources:ResourceGroup");
    expect(without.options.get(rg2.name)?.retainOnDelete).toBeFalsy();
    for (const r of without.resources)
      expect(without.options.get(r.name)?.retainOnDelete, r.name).toBeFalsy();
  });
});
