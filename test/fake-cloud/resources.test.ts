// create/read/update/delete against the store: ids and addresses in each cloud's format, preview
// outputs, references the clouds check, and what deleting takes along.
import { describe, expect, it } from "vitest";
import { hostInCidr, publicIp } from "./core/addresses.js";
import { text, UNKNOWN, type JsonObject } from "./core/values.js";
import { regionCode, zonesOf } from "./aws/geo.js";
import { awsProvider, azureProvider, gcpProvider, make, stateDir, T, urn } from "./helpers.js";
import { listResources } from "./state.js";

const ami = "ami-0123456789abcdef0";

describe("addresses and AWS geography", () => {
  it("public addresses come from TEST-NET-3, private ones from the subnet after its reserved hosts", () => {
    expect(publicIp(0)).toBe("203.0.113.1");
    expect(publicIp(254)).toBe("203.0.113.1");
    expect(hostInCidr("10.0.16.0/20", 0)).toBe("10.0.16.4");
    expect(hostInCidr("10.0.16.0/20", 300)).toBe("10.0.17.48");
    expect(hostInCidr("10.128.0.0/20", 1, 2)).toBe("10.128.0.3");
  });

  it("zones map to AZ ids in order, each with a default subnet", () => {
    expect(regionCode("us-east-1")).toBe("use1");
    expect(regionCode("ap-southeast-2")).toBe("apse2");
    expect(zonesOf("us-east-1").map((z) => z.id)).toEqual([
      "use1-az1",
      "use1-az2",
      "use1-az3",
      "use1-az4",
      "use1-az5",
      "use1-az6",
    ]);
    const [a] = zonesOf("eu-west-1");
    expect(a).toMatchObject({ name: "eu-west-1a", cidr: "10.0.0.0/20" });
    expect(a?.subnetId).toMatch(/^subnet-[0-9a-f]{17}$/);
  });
});

describe("AWS resources", () => {
  it("an instance gets an i- id, addresses, its subnet's zone and tagsAll; preview leaves generated values unknown", async () => {
    const p = awsProvider();
    const subnet = zonesOf("us-east-1")[1]?.subnetId ?? "";
    const sg = await make(p, T.sg, "sg", {});
    expect(sg.id).toMatch(/^sg-[0-9a-f]{17}$/);
    const inputs = {
      ami,
      instanceType: "t3.micro",
      subnetId: subnet,
      vpcSecurityGroupIds: [sg.id],
      tags: { Name: "x" },
    };
    const preview = await p.create(urn(T.instance, "i"), inputs, true);
    expect(preview.id).toBe("");
    expect(preview.outs).toMatchObject({
      publicIp: UNKNOWN,
      privateIp: UNKNOWN,
      availabilityZone: "us-east-1b",
    });
    const vm = await make(p, T.instance, "i", inputs);
    expect(vm.id).toMatch(/^i-[0-9a-f]{17}$/);
    expect(vm.outs).toMatchObject({
      availabilityZone: "us-east-1b",
      publicIp: expect.stringMatching(/^203\.0\.113\.\d+$/) as unknown,
      privateIp: expect.stringMatching(/^10\.0\.(1[6-9]|2\d|3[01])\.\d+$/) as unknown,
      arn: `arn:aws:ec2:us-east-1:123456789012:instance/${vm.id}`,
      tagsAll: { team: "ml", Name: "x" },
      instanceState: "running",
    });
    expect((await p.read(vm.id, urn(T.instance, "i"))).props).toEqual(vm.outs);
    expect(await p.read("i-00000000000000000", urn(T.instance, "gone"))).toEqual({});
  });

  it("refuses unknown subnets, security groups and malformed AMIs with AWS's codes", async () => {
    const p = awsProvider();
    await expect(
      make(p, T.instance, "i", { ami, instanceType: "t3.micro", subnetId: "subnet-nope" }),
    ).rejects.toThrow(
      /^creating EC2 Instance: operation error EC2: RunInstances, https response error StatusCode: 400, RequestID: [0-9a-f-]{36}, api error InvalidSubnetID\.NotFound: The subnet ID 'subnet-nope' does not exist$/,
    );
    await expect(
      make(p, T.instance, "i", { ami, instanceType: "t3.micro", vpcSecurityGroupIds: ["sg-1"] }),
    ).rejects.toThrow("api error InvalidGroup.NotFound: The security group 'sg-1' does not exist");
    await expect(make(p, T.instance, "i", { ami: "ubuntu", instanceType: "t3.micro" })).rejects.toThrow(
      "InvalidAMIID.Malformed",
    );
  });

  it("a volume attaches only in its zone, once, and outlives the instance; it cannot be deleted while attached", async () => {
    const dir = stateDir();
    const p = awsProvider(dir);
    const vm = await make(p, T.instance, "i", {
      ami,
      instanceType: "t3.micro",
      availabilityZone: "us-east-1a",
    });
    const far = await make(p, T.volume, "far", { availabilityZone: "us-east-1c", size: 10 });
    const near = await make(p, T.volume, "near", { availabilityZone: "us-east-1a", size: 10 });
    await expect(
      make(p, T.attachment, "a0", { deviceName: "/dev/sdf", instanceId: vm.id, volumeId: far.id }),
    ).rejects.toThrow(
      `attaching EBS Volume (${far.id}) to EC2 Instance (${vm.id}): operation error EC2: AttachVolume, https response error StatusCode: 400`,
    );
    const att = await make(p, T.attachment, "a1", {
      deviceName: "/dev/sdf",
      instanceId: vm.id,
      volumeId: near.id,
    });
    expect(att.id).toMatch(/^vai-\d{10}$/);
    await expect(p.delete(near.id, urn(T.volume, "near"))).rejects.toThrow(
      `api error VolumeInUse: Volume ${near.id} is currently attached to ${vm.id}`,
    );
    await p.delete(vm.id, urn(T.instance, "i"));
    expect(
      listResources(dir, "aws")
        .map((r) => r.type)
        .sort(),
    ).toEqual([T.volume, T.volume]);
    await p.delete(near.id, urn(T.volume, "near"));
    await p.delete(near.id, urn(T.volume, "near")); // already gone: fine
    expect(listResources(dir, "aws").map((r) => r.id)).toEqual([far.id]);
  });

  it("a volume grows in place and refuses to shrink", async () => {
    const p = awsProvider();
    const vol = await make(p, T.volume, "v", { availabilityZone: "us-east-1a", size: 10 });
    expect(
      (await p.update(vol.id, urn(T.volume, "v"), vol.outs, { availabilityZone: "us-east-1a", size: 20 }))
        .outs,
    ).toMatchObject({ size: 20 });
    await expect(
      p.update(vol.id, urn(T.volume, "v"), vol.outs, { availabilityZone: "us-east-1a", size: 5 }),
    ).rejects.toThrow("api error InvalidParameterValue: New size cannot be smaller than existing size");
  });

  it("a key pair's id is its name; a second one of that name is a duplicate", async () => {
    const p = awsProvider();
    const key = await make(p, T.key, "k", { keyName: "dstack", publicKey: "ssh-ed25519 AAAA" });
    expect(key.id).toBe("dstack");
    expect(key.outs.keyType).toBe("ed25519");
    await expect(make(p, T.key, "k2", { keyName: "dstack", publicKey: "ssh-ed25519 AAAA" })).rejects.toThrow(
      "api error InvalidKeyPair.Duplicate: The keypair already exists",
    );
  });

  it("invokes return the default VPC and its subnets by zone id; unknown invokes and filters fail loudly", async () => {
    const p = awsProvider();
    const vpc = (await p.invoke("aws:ec2/getVpc:getVpc", { default: true })).outputs as JsonObject;
    expect(vpc.id).toMatch(/^vpc-[0-9a-f]{17}$/);
    const filters = (zone: string): JsonObject => ({
      filters: [
        { name: "vpc-id", values: [vpc.id ?? ""] },
        { name: "availability-zone-id", values: [zone] },
        { name: "default-for-az", values: ["true"] },
      ],
    });
    const subnet = (await p.invoke("aws:ec2/getSubnet:getSubnet", filters("use1-az4"))).outputs as JsonObject;
    expect(subnet).toMatchObject({
      availabilityZone: "us-east-1d",
      availabilityZoneId: "use1-az4",
      cidrBlock: "10.0.48.0/20",
    });
    await expect(p.invoke("aws:ec2/getSubnet:getSubnet", filters("use1-az9"))).rejects.toThrow(
      "no matching EC2 Subnet found",
    );
    const all = (
      await p.invoke("aws:ec2/getSubnets:getSubnets", {
        filters: [{ name: "vpc-id", values: [vpc.id ?? ""] }],
      })
    ).outputs as JsonObject;
    expect(all.ids).toHaveLength(6);
    const image = (
      await p.invoke("aws:ec2/getAmi:getAmi", {
        owners: ["099720109477"],
        mostRecent: true,
        filters: [{ name: "name", values: ["ubuntu/*-22.04-*"] }],
      })
    ).outputs as JsonObject;
    expect(image).toMatchObject({
      id: expect.stringMatching(/^ami-[0-9a-f]{17}$/) as unknown,
      name: "ubuntu/20250101-22.04-20250101",
      ownerId: "099720109477",
    });
    await expect(p.invoke("aws:index/getAvailabilityZones:getAvailabilityZones", {})).rejects.toThrow(
      'fake-cloud (aws): invoke "aws:index/getAvailabilityZones:getAvailabilityZones" is not modelled',
    );
    await expect(
      p.invoke("aws:ec2/getSubnets:getSubnets", { filters: [{ name: "tag:Name", values: ["x"] }] }),
    ).rejects.toThrow('getSubnets filter "tag:Name" is not modelled');
  });
});

describe("GCP resources", () => {
  const vm = (extra: JsonObject = {}): JsonObject => ({
    name: "vm-1",
    zone: "us-central1-a",
    machineType: "n1-standard-4",
    bootDisk: { initializeParams: { image: "debian-cloud/debian-12" } },
    networkInterfaces: [{ network: "default", accessConfigs: [{}] }],
    ...extra,
  });

  it("an instance's id is its path; it gets an internal and a NAT address", async () => {
    const p = gcpProvider();
    const res = await make(p, T.gce, "vm", vm({ labels: { team: "ml" } }));
    expect(res.id).toBe("projects/proj-1/zones/us-central1-a/instances/vm-1");
    const nic = (res.outs.networkInterfaces as JsonObject[])[0] ?? {};
    expect(nic.networkIp).toMatch(/^10\.(1[2-8]\d|19[01])\.\d+\.\d+$/);
    expect((nic.accessConfigs as JsonObject[])[0]?.natIp).toMatch(/^203\.0\.113\.\d+$/);
    expect(res.outs.selfLink).toBe(
      "https://www.googleapis.com/compute/v1/projects/proj-1/zones/us-central1-a/instances/vm-1",
    );
    await expect(make(p, T.gce, "vm2", vm())).rejects.toThrow(
      "Error creating instance: googleapi: Error 409: The resource 'projects/proj-1/zones/us-central1-a/instances/vm-1' already exists, alreadyExists",
    );
  });

  it("GPUs need onHostMaintenance TERMINATE; names must be RFC 1035", async () => {
    const p = gcpProvider();
    await expect(make(p, T.gce, "vm", vm({ machineType: "a2-highgpu-1g" }))).rejects.toThrow(
      "Instances with guest accelerators do not support live migration.",
    );
    await expect(make(p, T.gce, "vm", vm({ name: "Bad_Name" }))).rejects.toThrow(
      "Invalid value for field 'resource.name': 'Bad_Name'",
    );
  });

  it("changing the machine type needs allowStoppingForUpdate", async () => {
    const p = gcpProvider();
    const res = await make(p, T.gce, "vm", vm());
    await expect(
      p.update(res.id, urn(T.gce, "vm"), res.outs, vm({ machineType: "n1-standard-8" })),
    ).rejects.toThrow("Changing the machineType on a started instance requires stopping it.");
    const ok = await p.update(
      res.id,
      urn(T.gce, "vm"),
      res.outs,
      vm({ machineType: "n1-standard-8", allowStoppingForUpdate: true }),
    );
    expect(ok.outs).toMatchObject({ machineType: "n1-standard-8" });
  });

  it("a disk attaches in its zone; it outlives the instance and cannot be deleted while attached", async () => {
    const dir = stateDir();
    const p = gcpProvider(dir);
    const inst = await make(p, T.gce, "vm", vm());
    const disk = await make(p, T.disk, "d", { name: "data", zone: "us-central1-a", size: 100 });
    expect(disk.outs.selfLink).toBe(
      "https://www.googleapis.com/compute/v1/projects/proj-1/zones/us-central1-a/disks/data",
    );
    const att = await make(p, T.attachedDisk, "att", { disk: text(disk.outs.selfLink), instance: inst.id });
    expect(att.id).toBe("projects/proj-1/zones/us-central1-a/instances/vm-1/data");
    await expect(p.delete(disk.id, urn(T.disk, "d"))).rejects.toThrow(
      `Error deleting Disk: googleapi: Error 400: The disk resource '${disk.id}' is already being used by '${inst.id}', resourceInUseByAnotherResource`,
    );
    await p.delete(inst.id, urn(T.gce, "vm"));
    expect(listResources(dir, "gcp").map((r) => r.id)).toEqual([disk.id]);
  });

  it("a TPU VM has one network endpoint, with an external IP only when asked", async () => {
    const p = gcpProvider();
    const tpu = await make(p, T.tpu, "tpu", {
      name: "tpu-1",
      zone: "us-central2-b",
      acceleratorType: "v4-8",
      runtimeVersion: "tpu-ubuntu2204-base",
      networkConfig: { enableExternalIps: true },
    });
    expect(tpu.id).toBe("projects/proj-1/locations/us-central2-b/nodes/tpu-1");
    const [endpoint] = tpu.outs.networkEndpoints as JsonObject[];
    expect(endpoint).toMatchObject({
      port: 8470,
      accessConfigs: [{ externalIp: expect.stringMatching(/^203\.0\.113\./) as unknown }],
    });
  });
});

describe("Azure resources", () => {
  const sub = "/subscriptions/11111111-2222-3333-4444-555555555555";

  async function network(
    p: ReturnType<typeof azureProvider>,
  ): Promise<{ subnet: string; nic: string; pip: string }> {
    await make(p, T.rg, "rg", { resourceGroupName: "rg1", location: "eastus" });
    await make(p, T.vnet, "vnet", {
      resourceGroupName: "rg1",
      virtualNetworkName: "net",
      addressSpace: { addressPrefixes: ["10.0.0.0/16"] },
    });
    const subnet = await make(p, T.subnet, "subnet", {
      resourceGroupName: "rg1",
      virtualNetworkName: "net",
      subnetName: "sn",
      addressPrefix: "10.0.0.0/20",
    });
    const pip = await make(p, T.pip, "ip", {
      resourceGroupName: "rg1",
      publicIpAddressName: "ip",
      sku: { name: "Standard" },
      publicIPAllocationMethod: "Static",
      deleteOption: "Delete",
    });
    const nic = await make(p, T.nic, "nic", {
      resourceGroupName: "rg1",
      networkInterfaceName: "nic",
      ipConfigurations: [{ name: "primary", subnet: { id: subnet.id }, publicIPAddress: { id: pip.id } }],
    });
    expect(pip.outs.ipAddress).toMatch(/^203\.0\.113\.\d+$/);
    expect((nic.outs.ipConfigurations as JsonObject[])[0]?.privateIPAddress).toMatch(
      /^10\.0\.(\d|1[0-5])\.\d+$/,
    );
    return { subnet: subnet.id, nic: nic.id, pip: pip.id };
  }

  it("ids are ARM ids; location comes from the resource group", async () => {
    const dir = stateDir();
    const p = azureProvider(dir);
    const { subnet } = await network(p);
    expect(subnet).toBe(
      `${sub}/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/net/subnets/sn`,
    );
    const nsg = await make(p, T.nsg, "nsg", { resourceGroupName: "rg1", networkSecurityGroupName: "nsg" });
    expect(nsg.outs).toMatchObject({ location: "eastus", type: "Microsoft.Network/networkSecurityGroups" });
    await expect(make(p, T.nsg, "nsg2", { resourceGroupName: "nope" })).rejects.toThrow(
      `Code="ResourceGroupNotFound" Message="Resource group 'nope' could not be found."`,
    );
  });

  it("deleting a VM takes along NICs and public IPs marked Delete but only detaches data disks; deleting the group takes everything", async () => {
    const dir = stateDir();
    const p = azureProvider(dir);
    const { nic } = await network(p);
    const disk = await make(p, T.azDisk, "d", {
      resourceGroupName: "rg1",
      diskName: "data",
      diskSizeGB: 100,
      creationData: { createOption: "Empty" },
      zones: ["1"],
    });
    const vmInputs = {
      resourceGroupName: "rg1",
      vmName: "vm",
      zones: ["1"],
      hardwareProfile: { vmSize: "Standard_NC4as_T4_v3" },
      storageProfile: {
        dataDisks: [{ lun: 0, createOption: "Attach", managedDisk: { id: disk.id }, deleteOption: "Detach" }],
      },
      networkProfile: { networkInterfaces: [{ id: nic, deleteOption: "Delete" }] },
    };
    const vm = await make(p, T.vm, "vm", vmInputs);
    expect(vm.id).toBe(`${sub}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm`);
    await expect(p.delete(nic, urn(T.nic, "nic"))).rejects.toThrow('Code="NicInUse"');
    await expect(p.delete(disk.id, urn(T.azDisk, "d"))).rejects.toThrow(
      `Code="OperationNotAllowed" Message="Disk data is attached to VM ${vm.id}."`,
    );
    await p.delete(vm.id, urn(T.vm, "vm"));
    expect(
      listResources(dir, "azure")
        .map((r) => r.type)
        .sort(),
    ).toEqual([T.azDisk, T.subnet, T.vnet, T.rg]);
    await p.delete(`${sub}/resourceGroups/rg1`, urn(T.rg, "rg"));
    expect(listResources(dir, "azure")).toEqual([]);
  });

  it("a data disk must be in the VM's zone", async () => {
    const p = azureProvider();
    const { nic } = await network(p);
    const disk = await make(p, T.azDisk, "d", {
      resourceGroupName: "rg1",
      diskName: "data",
      diskSizeGB: 10,
      creationData: { createOption: "Empty" },
      zones: ["2"],
    });
    await expect(
      make(p, T.vm, "vm", {
        resourceGroupName: "rg1",
        zones: ["1"],
        hardwareProfile: { vmSize: "Standard_D2s_v5" },
        storageProfile: { dataDisks: [{ lun: 0, createOption: "Attach", managedDisk: { id: disk.id } }] },
        networkProfile: { networkInterfaces: [{ id: nic }] },
      }),
    ).rejects.toThrow(
      `Code="BadRequest" Message="Disk ${disk.id} cannot be attached to the VM because it is not in the same zone with the VM. VM zone: '1'. Disk zone: '2'."`,
    );
  });
});
