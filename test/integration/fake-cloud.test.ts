// The fake cloud (test/fake-cloud/SPEC.md) through the REAL Pulumi engine: inline programs using
// @pulumi/aws, @pulumi/gcp and @pulumi/azure-native on a file backend, with the fake's plugins first on
// PATH. Preview, up (ids, addresses), update vs replace in preview events, injected faults with each
// cloud's text, `times: 1`, and destroy, checked against the fake's store.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { EngineEvent, PulumiFn, Stack } from "@pulumi/pulumi/automation/index.js";
import { Provider as AwsProvider } from "@pulumi/aws/provider.js";
import * as ec2 from "@pulumi/aws/ec2/index.js";
import { BucketV2 } from "@pulumi/aws/s3/bucketV2.js";
import { getAvailabilityZonesOutput } from "@pulumi/aws/getAvailabilityZones.js";
import { Provider as GcpProvider } from "@pulumi/gcp/provider.js";
import * as gce from "@pulumi/gcp/compute/index.js";
import { V2Vm } from "@pulumi/gcp/tpu/v2vm.js";
import { Provider as AzureProvider } from "@pulumi/azure-native/provider.js";
import * as resources from "@pulumi/azure-native/resources/index.js";
import * as network from "@pulumi/azure-native/network/index.js";
import * as compute from "@pulumi/azure-native/compute/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pulumiEnv, pulumiRoot } from "../../src/engine/pulumi-cli.js";
import { fakeCloudEnv, installFakeCloud } from "../fake-cloud/install.js";
import {
  clearFaults,
  listResources,
  removeResource,
  writeFaults,
  type CloudName,
} from "../fake-cloud/state.js";
import { requirePulumi } from "./pulumi-path.js";

const tmp = mkdtempSync(join(tmpdir(), "dstack-fake-cloud-engine-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let fakeBin = "";
beforeAll(() => {
  requirePulumi();
  fakeBin = installFakeCloud(join(tmp, "fake-bin")).binDir;
});

const TIMEOUT = 180_000;

async function openStack(project: string, cloudDir: string, program: PulumiFn): Promise<Stack> {
  const cli = requirePulumi();
  const { LocalWorkspace, PulumiCommand } = pulumi.automation;
  const state = join(tmp, `state-${project}`);
  mkdirSync(state, { recursive: true });
  const root = pulumiRoot(cli.binDir);
  const env = pulumiEnv(cli.binDir);
  return LocalWorkspace.createOrSelectStack(
    { stackName: "dev", projectName: project, program },
    {
      pulumiCommand: await PulumiCommand.get(root === undefined ? {} : { root }),
      pulumiHome: join(tmp, "home"),
      envVars: {
        ...env,
        PATH: `${fakeBin}${delimiter}${env.PATH}`,
        PULUMI_BACKEND_URL: `file://${state}`,
        PULUMI_CONFIG_PASSPHRASE: "test",
        ...fakeCloudEnv(cloudDir),
      },
    },
  );
}

interface Step {
  op: string;
  detailedDiff: Record<string, string>;
}

/** The preview's steps for one resource type, with their detailed diff as path -> diffKind. */
async function previewSteps(stack: Stack, type: string): Promise<Step[]> {
  const events: EngineEvent[] = [];
  await stack.preview({ onEvent: (e) => events.push(e) });
  return events
    .map((e) => e.resourcePreEvent?.metadata)
    .filter((m) => m !== undefined && m.type === type)
    .map((m) => ({
      op: m?.op ?? "",
      detailedDiff: Object.fromEntries(
        Object.entries(m?.detailedDiff ?? {}).map(([k, v]) => [k, v.diffKind]),
      ),
    }));
}

function types(dir: string, cloud: CloudName): string[] {
  return listResources(dir, cloud)
    .map((r) => r.type)
    .sort();
}

describe("fake AWS through the engine", () => {
  const dir = join(tmp, "aws");
  const settings = { instanceType: "t3.micro", ami: "ami-0123456789abcdef0" };
  const seen: { zone?: string; publicIp?: string } = {};
  let stack: Stack;

  const program: PulumiFn = () => {
    const provider = new AwsProvider("aws", {
      region: "us-east-1",
      defaultTags: { tags: { "dstack-managed": "true" } },
    });
    const vpc = ec2.getVpcOutput({ default: true }, { provider });
    const subnet = ec2.getSubnetOutput(
      {
        filters: [
          { name: "vpc-id", values: [vpc.id] },
          { name: "availability-zone-id", values: ["use1-az2"] },
          { name: "default-for-az", values: ["true"] },
        ],
      },
      { provider },
    );
    const sg = new ec2.SecurityGroup(
      "pool-sg",
      { vpcId: vpc.id, ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] },
      { provider },
    );
    const vm = new ec2.Instance(
      "pool-vm",
      {
        ami: settings.ami,
        instanceType: settings.instanceType,
        subnetId: subnet.id,
        vpcSecurityGroupIds: [sg.id],
        userDataBase64: Buffer.from("#cloud-config\n").toString("base64"),
        userDataReplaceOnChange: true,
      },
      { provider },
    );
    vm.availabilityZone.apply((z) => (seen.zone = z));
    vm.publicIp.apply((ip) => (seen.publicIp = ip));
    return Promise.resolve({
      id: vm.id,
      publicIp: vm.publicIp,
      privateIp: vm.privateIp,
      zone: vm.availabilityZone,
      sg: sg.id,
    });
  };

  it(
    "previews creates: derived outputs known, generated ones unknown, nothing created",
    async () => {
      stack = await openStack("fake-aws", dir, program);
      expect((await previewSteps(stack, "aws:ec2/instance:Instance")).map((s) => s.op)).toEqual(["create"]);
      expect((await previewSteps(stack, "aws:ec2/securityGroup:SecurityGroup")).map((s) => s.op)).toEqual([
        "create",
      ]);
      expect(seen).toEqual({ zone: "us-east-1b" });
      expect(listResources(dir)).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    "an injected capacity fault fails up with AWS's text and leaves no instance; times: 1 lets the next up through",
    async () => {
      writeFaults(dir, [
        { cloud: "aws", error: "capacity", zone: "use1-az2", instance_type: "t3.micro", times: 1 },
      ]);
      await expect(stack.up()).rejects.toThrow(
        /creating EC2 Instance: operation error EC2: RunInstances, https response error StatusCode: 500, RequestID: [0-9a-f-]{36}, api error InsufficientInstanceCapacity: We currently do not have sufficient t3\.micro capacity in the Availability Zone you requested \(us-east-1b\)\. Our system will be working on provisioning additional capacity\. You can currently get t3\.micro capacity by not specifying an Availability Zone in your request or choosing us-east-1a, us-east-1c, us-east-1d, us-east-1e, us-east-1f\./,
      );
      expect(types(dir, "aws")).toEqual(["aws:ec2/securityGroup:SecurityGroup"]);

      const up = await stack.up();
      expect(up.outputs.id?.value).toMatch(/^i-[0-9a-f]{17}$/);
      expect(up.outputs.sg?.value).toMatch(/^sg-[0-9a-f]{17}$/);
      expect(up.outputs.publicIp?.value).toMatch(/^203\.0\.113\.\d{1,3}$/);
      expect(up.outputs.privateIp?.value).toMatch(/^10\.0\.(1[6-9]|2\d|3[01])\.\d{1,3}$/);
      expect(up.outputs.zone?.value).toBe("us-east-1b");
      const [instance] = listResources(dir, "aws", "aws:ec2/instance:Instance");
      expect(instance?.id).toBe(up.outputs.id?.value);
      expect(instance?.outputs.tagsAll).toEqual({ "dstack-managed": "true" });
      clearFaults(dir);
    },
    TIMEOUT,
  );

  it(
    "a new instance type previews and applies as an update; a new AMI previews as a replacement",
    async () => {
      const before = listResources(dir, "aws", "aws:ec2/instance:Instance")[0]?.id;
      settings.instanceType = "t3.large";
      expect(await previewSteps(stack, "aws:ec2/instance:Instance")).toEqual([
        { op: "update", detailedDiff: { instanceType: "update" } },
      ]);
      await stack.up();
      const after = listResources(dir, "aws", "aws:ec2/instance:Instance");
      expect(after.map((r) => [r.id, r.outputs.instanceType])).toEqual([[before, "t3.large"]]);

      settings.ami = "ami-0123456789abcdef1";
      const steps = await previewSteps(stack, "aws:ec2/instance:Instance");
      expect(steps.map((s) => s.op)).toEqual(["create-replacement", "replace", "delete-replaced"]);
      expect(steps[1]?.detailedDiff).toEqual({ ami: "update-replace" });
      settings.ami = "ami-0123456789abcdef0";
    },
    TIMEOUT,
  );

  it(
    "an instance deleted behind the engine's back (a spot eviction) leaves the stack on refresh",
    async () => {
      const id = listResources(dir, "aws", "aws:ec2/instance:Instance")[0]?.id ?? "";
      expect(removeResource(dir, "aws", id)).toBe(true);
      await stack.refresh();
      expect((await previewSteps(stack, "aws:ec2/instance:Instance")).map((s) => s.op)).toEqual(["create"]);
    },
    TIMEOUT,
  );

  it(
    "destroy leaves nothing in the fake cloud",
    async () => {
      await stack.destroy();
      expect(listResources(dir)).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    "an unmodelled resource type, an unmodelled invoke and an oversized user data fail the preview, naming them",
    async () => {
      const failure = async (name: string, program: PulumiFn): Promise<string> => {
        const loud = await openStack(`fake-aws-${name}`, join(tmp, `aws-${name}`), program);
        return loud.preview().then(
          () => "preview succeeded",
          (e: unknown) => (e instanceof Error ? e.message : String(e)),
        );
      };
      const provider = (): AwsProvider => new AwsProvider("aws", { region: "us-east-1" });
      expect(
        await failure("type", () => {
          new BucketV2("bucket", {}, { provider: provider() });
          return Promise.resolve({});
        }),
      ).toContain('fake-cloud (aws): resource type "aws:s3/bucketV2:BucketV2" is not modelled');
      expect(
        await failure("invoke", () =>
          Promise.resolve({ zones: getAvailabilityZonesOutput({}, { provider: provider() }).names }),
        ),
      ).toContain(
        'fake-cloud (aws): invoke "aws:index/getAvailabilityZones:getAvailabilityZones" is not modelled',
      );
      expect(
        await failure("userdata", () => {
          const userData = "#".repeat(16385);
          new ec2.Instance(
            "big",
            { ami: "ami-0123456789abcdef0", instanceType: "t3.micro", userData },
            { provider: provider() },
          );
          return Promise.resolve({});
        }),
      ).toContain("has a problem: userData is 16385 bytes, over the limit of 16384 bytes");
    },
    TIMEOUT,
  );
});

describe("fake GCP through the engine", () => {
  const dir = join(tmp, "gcp");
  const settings: { metadata: string; provisioningModel: string } = {
    metadata: "#cloud-config\n",
    provisioningModel: "STANDARD",
  };
  let stack: Stack;

  const program: PulumiFn = () => {
    const provider = new GcpProvider("gcp", {
      project: "proj-1",
      region: "us-central1",
      defaultLabels: { "dstack-managed": "true" },
    });
    new gce.Firewall(
      "pool-ingress",
      {
        name: "dstack-p-pool-ingress",
        network: "default",
        allows: [{ protocol: "tcp", ports: ["22"] }],
        sourceRanges: ["0.0.0.0/0"],
        targetTags: ["dstack-p-pool"],
      },
      { provider },
    );
    const disk = new gce.Disk(
      "pool-vol",
      { name: "dstack-p-pool-vol-data", zone: "us-central1-a", size: 100, type: "pd-balanced" },
      { provider, retainOnDelete: true },
    );
    const vm = new gce.Instance(
      "pool-vm",
      {
        name: "dstack-p-pool-vm-0",
        zone: "us-central1-a",
        machineType: "n1-standard-4",
        allowStoppingForUpdate: true,
        bootDisk: { initializeParams: { image: "ubuntu-os-cloud/ubuntu-2204-lts", size: 50 } },
        networkInterfaces: [{ network: "default", accessConfigs: [{}] }],
        metadata: { "user-data": settings.metadata },
        scheduling: {
          provisioningModel: settings.provisioningModel,
          onHostMaintenance: "TERMINATE",
          automaticRestart: settings.provisioningModel !== "SPOT",
        },
        tags: ["dstack-p-pool"],
      },
      { provider },
    );
    new gce.AttachedDisk(
      "pool-vol-attach",
      { disk: disk.selfLink, instance: vm.id, deviceName: "data" },
      { provider },
    );
    const tpu = new V2Vm(
      "pool-tpu",
      {
        name: "dstack-p-pool-tpu-0",
        zone: "us-central2-b",
        acceleratorType: "v4-8",
        runtimeVersion: "tpu-ubuntu2204-base",
        networkConfig: { enableExternalIps: true },
      },
      { provider },
    );
    return Promise.resolve({
      id: vm.id,
      natIp: vm.networkInterfaces.apply((n) => n[0]?.accessConfigs?.[0]?.natIp),
      networkIp: vm.networkInterfaces.apply((n) => n[0]?.networkIp),
      tpuIp: tpu.networkEndpoints.apply((e) => e[0]?.accessConfigs[0]?.externalIp),
    });
  };

  it(
    "a capacity fault fails up with Compute Engine's text; the retry creates the instance",
    async () => {
      stack = await openStack("fake-gcp", dir, program);
      writeFaults(dir, [{ cloud: "gcp", error: "capacity", zone: "us-central1-a", times: 1 }]);
      await expect(stack.up()).rejects.toThrow(
        "Error waiting for instance to create: The zone 'projects/proj-1/zones/us-central1-a' does not have enough resources available to fulfill the request.  Try a different zone, or try again later.",
      );
      expect(listResources(dir, "gcp", "gcp:compute/instance:Instance")).toEqual([]);

      const up = await stack.up();
      expect(up.outputs.id?.value).toBe("projects/proj-1/zones/us-central1-a/instances/dstack-p-pool-vm-0");
      expect(up.outputs.natIp?.value).toMatch(/^203\.0\.113\.\d{1,3}$/);
      expect(up.outputs.networkIp?.value).toMatch(/^10\.\d+\.\d+\.\d+$/);
      expect(up.outputs.tpuIp?.value).toMatch(/^203\.0\.113\.\d{1,3}$/);
      expect(types(dir, "gcp")).toEqual([
        "gcp:compute/attachedDisk:AttachedDisk",
        "gcp:compute/disk:Disk",
        "gcp:compute/firewall:Firewall",
        "gcp:compute/instance:Instance",
        "gcp:tpu/v2Vm:V2Vm",
      ]);
      clearFaults(dir);
    },
    TIMEOUT,
  );

  it(
    "new metadata previews as an update, Spot as a replacement",
    async () => {
      settings.metadata = "#cloud-config\nruncmd: [true]\n";
      expect(await previewSteps(stack, "gcp:compute/instance:Instance")).toEqual([
        { op: "update", detailedDiff: { 'metadata["user-data"]': "update" } },
      ]);
      settings.provisioningModel = "SPOT";
      const steps = await previewSteps(stack, "gcp:compute/instance:Instance");
      expect(steps.map((s) => s.op)).toContain("replace");
      expect(steps.find((s) => s.op === "replace")?.detailedDiff).toMatchObject({
        "scheduling.provisioningModel": "update-replace",
      });
      Object.assign(settings, { metadata: "#cloud-config\n", provisioningModel: "STANDARD" });
    },
    TIMEOUT,
  );

  it(
    "destroying the pool leaves only the retained volume",
    async () => {
      await stack.destroy();
      expect(listResources(dir).map((r) => r.id)).toEqual([
        "projects/proj-1/zones/us-central1-a/disks/dstack-p-pool-vol-data",
      ]);
    },
    TIMEOUT,
  );
});

describe("fake Azure through the engine", () => {
  const dir = join(tmp, "azure");
  const settings = { vmSize: "Standard_NC24ads_A100_v4", customData: "#cloud-config\n" };
  let stack: Stack;

  const program: PulumiFn = () => {
    const provider = new AzureProvider("azure", {
      location: "eastus",
      subscriptionId: "11111111-2222-3333-4444-555555555555",
    });
    const opts = { provider };
    const group = new resources.ResourceGroup(
      "pool-rg",
      { resourceGroupName: "dstack-p-pool", location: "eastus" },
      opts,
    );
    const vnet = new network.VirtualNetwork(
      "pool-vnet",
      {
        resourceGroupName: group.name,
        location: "eastus",
        addressSpace: { addressPrefixes: ["10.0.0.0/16"] },
      },
      opts,
    );
    const nsg = new network.NetworkSecurityGroup(
      "pool-nsg",
      {
        resourceGroupName: group.name,
        location: "eastus",
        securityRules: [
          {
            name: "ssh",
            priority: 100,
            direction: "Inbound",
            access: "Allow",
            protocol: "Tcp",
            sourceAddressPrefix: "*",
            sourcePortRange: "*",
            destinationAddressPrefix: "*",
            destinationPortRange: "22",
          },
        ],
      },
      opts,
    );
    const subnet = new network.Subnet(
      "pool-subnet",
      {
        resourceGroupName: group.name,
        virtualNetworkName: vnet.name,
        addressPrefix: "10.0.0.0/20",
        networkSecurityGroup: { id: nsg.id },
      },
      opts,
    );
    const ip = new network.PublicIPAddress(
      "pool-vm-ip",
      {
        resourceGroupName: group.name,
        location: "eastus",
        zones: ["1"],
        sku: { name: "Standard" },
        publicIPAllocationMethod: "Static",
        deleteOption: "Delete",
      },
      opts,
    );
    const nic = new network.NetworkInterface(
      "pool-vm-nic",
      {
        resourceGroupName: group.name,
        location: "eastus",
        ipConfigurations: [
          { name: "primary", primary: true, subnet: { id: subnet.id }, publicIPAddress: { id: ip.id } },
        ],
      },
      opts,
    );
    const vm = new compute.VirtualMachine(
      "pool-vm",
      {
        resourceGroupName: group.name,
        location: "eastus",
        vmName: "dstack-p-pool-vm-0",
        zones: ["1"],
        hardwareProfile: { vmSize: settings.vmSize },
        storageProfile: {
          imageReference: {
            publisher: "Canonical",
            offer: "ubuntu-24_04-lts",
            sku: "server",
            version: "latest",
          },
          osDisk: { name: "dstack-p-pool-vm-0-os", createOption: "FromImage", deleteOption: "Delete" },
        },
        osProfile: {
          computerName: "dstack-p-pool-vm-0",
          adminUsername: "dstack",
          customData: Buffer.from(settings.customData).toString("base64"),
          linuxConfiguration: {
            disablePasswordAuthentication: true,
            ssh: { publicKeys: [{ path: "/home/dstack/.ssh/authorized_keys", keyData: "ssh-ed25519 AAAA" }] },
          },
        },
        networkProfile: { networkInterfaces: [{ id: nic.id, primary: true, deleteOption: "Delete" }] },
        priority: "Regular",
      },
      opts,
    );
    return Promise.resolve({
      id: vm.id,
      publicIp: ip.ipAddress,
      privateIp: nic.ipConfigurations.apply((c) => c?.[0]?.privateIPAddress),
    });
  };

  it(
    "a zonal capacity fault fails up with ARM's text; the retry creates the VM",
    async () => {
      stack = await openStack("fake-azure", dir, program);
      writeFaults(dir, [
        {
          cloud: "azure",
          error: "capacity",
          instance_type: "Standard_NC24ads_A100_v4",
          zone: "eastus-1",
          times: 1,
        },
      ]);
      await expect(stack.up()).rejects.toThrow(
        'Code="ZonalAllocationFailed" Message="Allocation failed. We do not have sufficient capacity for the requested VM size in this zone. Read more about improving likelihood of allocation success at http://aka.ms/allocation-guidance"',
      );
      expect(listResources(dir, "azure", "azure-native:compute:VirtualMachine")).toEqual([]);

      const up = await stack.up();
      expect(up.outputs.id?.value).toBe(
        "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/dstack-p-pool/providers/Microsoft.Compute/virtualMachines/dstack-p-pool-vm-0",
      );
      expect(up.outputs.publicIp?.value).toMatch(/^203\.0\.113\.\d{1,3}$/);
      expect(up.outputs.privateIp?.value).toMatch(/^10\.0\.(\d|1[0-5])\.\d{1,3}$/);
      clearFaults(dir);
    },
    TIMEOUT,
  );

  it(
    "a new VM size previews as an update, new customData as a replacement",
    async () => {
      settings.vmSize = "Standard_NC48ads_A100_v4";
      expect(await previewSteps(stack, "azure-native:compute:VirtualMachine")).toEqual([
        { op: "update", detailedDiff: { "hardwareProfile.vmSize": "update" } },
      ]);
      settings.customData = "#cloud-config\nruncmd: [true]\n";
      const steps = await previewSteps(stack, "azure-native:compute:VirtualMachine");
      expect(steps.map((s) => s.op)).toContain("replace");
      expect(steps.find((s) => s.op === "replace")?.detailedDiff).toMatchObject({
        "osProfile.customData": "update-replace",
      });
      Object.assign(settings, { vmSize: "Standard_NC24ads_A100_v4", customData: "#cloud-config\n" });
    },
    TIMEOUT,
  );

  it(
    "destroy leaves nothing in the fake cloud",
    async () => {
      await stack.destroy();
      expect(listResources(dir)).toEqual([]);
    },
    TIMEOUT,
  );
});
