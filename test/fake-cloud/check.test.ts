// check: required inputs and key types per type, user-data limits, autonaming, unknown types.
import { describe, expect, it } from "vitest";
import { awsModel } from "./aws/model.js";
import { DIR_ENV, FakeCloudProvider } from "./core/provider.js";
import { UNKNOWN, type JsonObject } from "./core/values.js";
import { awsProvider, azureProvider, gcpProvider, T, urn } from "./helpers.js";

const aws = awsProvider();
const gcp = gcpProvider();
const azure = azureProvider();

async function failures(p: FakeCloudProvider<unknown>, type: string, news: JsonObject): Promise<string[]> {
  const res = await p.check(urn(type, "r"), {}, news, "seed");
  return res.failures.map((f) => `${f.property}: ${f.reason}`);
}

const ami = "ami-0123456789abcdef0";

describe("AWS checks", () => {
  it("an instance needs ami and instanceType, of the right types", async () => {
    expect(await failures(aws, T.instance, {})).toEqual([
      'ami: required property "ami" is missing',
      'instanceType: required property "instanceType" is missing',
    ]);
    expect(await failures(aws, T.instance, { ami, instanceType: 3 })).toEqual([
      'instanceType: "instanceType" must be a string, not a number',
    ]);
  });

  it("user data is at most 16 KB raw; userDataBase64 is measured decoded", async () => {
    const ok = { ami, instanceType: "t3.micro" };
    expect(await failures(aws, T.instance, { ...ok, userData: "x".repeat(16384) })).toEqual([]);
    expect(await failures(aws, T.instance, { ...ok, userData: "x".repeat(16385) })).toEqual([
      "userData: userData is 16385 bytes, over the limit of 16384 bytes",
    ]);
    const b64 = (n: number): string => Buffer.alloc(n, 1).toString("base64");
    expect(await failures(aws, T.instance, { ...ok, userDataBase64: b64(16384) })).toEqual([]);
    expect(await failures(aws, T.instance, { ...ok, userDataBase64: b64(16385) })).toEqual([
      "userDataBase64: userDataBase64 is 16385 bytes decoded, over the limit of 16384 bytes",
    ]);
  });

  it("values the engine does not know yet pass", async () => {
    expect(
      await failures(aws, T.instance, { ami: UNKNOWN, instanceType: UNKNOWN, userData: UNKNOWN }),
    ).toEqual([]);
  });

  it("volumes need a zone and a size (or snapshot); security group rules need protocol and ports", async () => {
    expect(await failures(aws, T.volume, {})).toEqual([
      'availabilityZone: required property "availabilityZone" is missing',
      'size: one of "size" or "snapshotId" must be specified',
    ]);
    expect(await failures(aws, T.sg, { ingress: [{ protocol: "tcp", fromPort: 22 }] })).toEqual([
      'ingress[0].toPort: required property "ingress[0].toPort" is missing',
    ]);
  });

  it("autonames <logical>-<7 hex> and keeps the name on later checks", async () => {
    const first = await aws.check(urn(T.sg, "pool-sg"), {}, {}, "seed");
    expect(first.inputs.name).toMatch(/^pool-sg-[0-9a-f]{7}$/);
    expect(first.inputs.__defaults).toEqual(["name"]);
    const again = await aws.check(urn(T.sg, "pool-sg"), first.inputs, {}, "other-seed");
    expect(again.inputs.name).toBe(first.inputs.name);
    const named = await aws.check(urn(T.sg, "pool-sg"), {}, { name: "mine" }, "seed");
    expect(named.inputs).toEqual({ name: "mine" });
  });

  it("an unknown resource type fails, naming it", async () => {
    await expect(aws.check(urn("aws:s3/bucketV2:BucketV2", "b"), {}, {})).rejects.toThrow(
      'fake-cloud (aws): resource type "aws:s3/bucketV2:BucketV2" is not modelled; the fake models aws:ec2/securityGroup:SecurityGroup, ',
    );
  });

  it("provider config needs a valid region", async () => {
    const p = new FakeCloudProvider(awsModel, { [DIR_ENV]: "/nonexistent" });
    expect((await p.checkConfig("u", {}, {})).failures[0]?.reason).toMatch(
      /^missing required configuration key "aws:region"/,
    );
    expect((await p.checkConfig("u", {}, { region: "mars-1" })).failures).toEqual([
      { property: "region", reason: "invalid AWS Region: mars-1" },
    ]);
    expect((await p.checkConfig("u", {}, { region: "eu-west-1" })).failures).toEqual([]);
  });

  it("Configure fails without DSTACK_FAKE_CLOUD_DIR", () => {
    const p = new FakeCloudProvider(awsModel, {});
    expect(() => p.configure({ region: "us-east-1" })).toThrow(
      "fake-cloud (aws): DSTACK_FAKE_CLOUD_DIR is not set",
    );
  });
});

describe("GCP checks", () => {
  const vm = {
    zone: "us-central1-a",
    machineType: "n1-standard-4",
    bootDisk: { initializeParams: { image: "debian-cloud/debian-12" } },
    networkInterfaces: [{ network: "default" }],
  };

  it("an instance needs machineType, bootDisk, networkInterfaces and a zone", async () => {
    expect(await failures(gcp, T.gce, {})).toEqual([
      'machineType: required property "machineType" is missing',
      'bootDisk: required property "bootDisk" is missing',
      'networkInterfaces: required property "networkInterfaces" is missing',
      "zone: Cannot determine zone: set in this resource, or set provider-level zone.",
    ]);
    expect(await failures(gcp, T.gce, vm)).toEqual([]);
  });

  it("each metadata value is at most 256 KiB", async () => {
    expect(await failures(gcp, T.gce, { ...vm, metadata: { "user-data": "x".repeat(262144) } })).toEqual([]);
    expect(await failures(gcp, T.gce, { ...vm, metadata: { "user-data": "x".repeat(262145) } })).toEqual([
      'metadata.user-data: metadata value "user-data" is 262145 bytes, over the limit of 262144 bytes',
    ]);
  });

  it("a TPU VM needs a runtime version; a firewall exactly one of allows/denies", async () => {
    expect(await failures(gcp, T.tpu, { zone: "us-central2-b" })).toEqual([
      'runtimeVersion: required property "runtimeVersion" is missing',
    ]);
    expect(await failures(gcp, T.firewall, { network: "default" })).toEqual([
      'allows: exactly one of "allows" or "denies" must be set',
    ]);
  });
});

describe("Azure checks", () => {
  const vm = {
    resourceGroupName: "rg",
    hardwareProfile: { vmSize: "Standard_NC4as_T4_v3" },
    storageProfile: {},
    networkProfile: { networkInterfaces: [{ id: "nic" }] },
  };

  it("a VM needs a group, a size, storage and a NIC", async () => {
    expect(await failures(azure, T.vm, {})).toEqual([
      'resourceGroupName: required property "resourceGroupName" is missing',
      'hardwareProfile.vmSize: required property "hardwareProfile.vmSize" is missing',
      'storageProfile: required property "storageProfile" is missing',
      'networkProfile.networkInterfaces: required property "networkProfile.networkInterfaces" is missing',
    ]);
    expect(await failures(azure, T.vm, vm)).toEqual([]);
  });

  it("customData is base64 and at most 64 KiB decoded", async () => {
    const data = (n: number): JsonObject => ({
      ...vm,
      osProfile: { customData: Buffer.alloc(n, 7).toString("base64") },
    });
    expect(await failures(azure, T.vm, data(65536))).toEqual([]);
    expect(await failures(azure, T.vm, data(65537))).toEqual([
      "osProfile.customData: osProfile.customData is 65537 bytes decoded, over the limit of 65536 bytes",
    ]);
    expect(await failures(azure, T.vm, { ...vm, osProfile: { customData: "not base64!" } })).toEqual([
      'osProfile.customData: "osProfile.customData" must be base64-encoded',
    ]);
  });

  it("zones are 1, 2 or 3; an Empty disk needs a size", async () => {
    expect(await failures(azure, T.vm, { ...vm, zones: ["4"] })).toEqual([
      'zones[0]: "zones[0]" is "4"; expected one of "1", "2", "3"',
    ]);
    expect(
      await failures(azure, T.azDisk, { resourceGroupName: "rg", creationData: { createOption: "Empty" } }),
    ).toEqual(['diskSizeGB: "diskSizeGB" is required for an Empty disk']);
  });
});
