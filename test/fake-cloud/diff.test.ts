// diff: which changes update in place and which replace, per cloud, as detailed diffs.
import { describe, expect, it } from "vitest";
import { diffInputs } from "./core/diff.js";
import { awsProvider, azureProvider, gcpProvider, T, urn } from "./helpers.js";
import type { FakeCloudProvider } from "./core/provider.js";
import type { JsonObject } from "./core/values.js";
import { UNKNOWN } from "./core/values.js";

async function diff(p: FakeCloudProvider<unknown>, type: string, olds: JsonObject, news: JsonObject) {
  return p.diff("id-1", urn(type, "r"), olds, news, olds);
}

describe("diffInputs", () => {
  it("reports leaf paths in the engine's syntax, and top-level keys", () => {
    const d = diffInputs(
      { metadata: { "user-data": "a", "ssh-keys": "k" }, tags: ["x"] },
      { metadata: { "user-data": "b", "ssh-keys": "k" }, tags: ["x", "y"] },
      [],
    );
    expect(d.changes).toEqual([
      { path: 'metadata["user-data"]', kind: "update", replace: false },
      { path: "tags[1]", kind: "add", replace: false },
    ]);
    expect(d.changedKeys).toEqual(["metadata", "tags"]);
    expect(d.replaces).toEqual([]);
  });

  it("matches replace rules below, at and (when the value differs) above a path", () => {
    const rules = ["scheduling.provisioningModel", "networkInterfaces[].network", "bootDisk"];
    expect(diffInputs({}, { scheduling: { provisioningModel: "SPOT" } }, rules).replaces).toEqual([
      "scheduling",
    ]);
    expect(diffInputs({}, { scheduling: { automaticRestart: false } }, rules).replaces).toEqual([]);
    expect(diffInputs({ bootDisk: { size: 1 } }, { bootDisk: { size: 2 } }, rules).replaces).toEqual([
      "bootDisk",
    ]);
    const nic = (network: string): JsonObject => ({ networkInterfaces: [{ network, accessConfigs: [] }] });
    expect(diffInputs(nic("a"), nic("b"), rules).replaces).toEqual(["networkInterfaces"]);
    expect(
      diffInputs(
        { networkInterfaces: [{ network: "a" }] },
        { networkInterfaces: [{ network: "a", accessConfigs: [{}] }] },
        rules,
      ).replaces,
    ).toEqual([]);
  });

  it("treats an unknown new value as a change", () => {
    expect(diffInputs({ subnetId: "subnet-1" }, { subnetId: UNKNOWN }, ["subnetId"]).replaces).toEqual([
      "subnetId",
    ]);
  });
});

describe("AWS diffs", () => {
  const p = awsProvider();
  const instance: JsonObject = {
    ami: "ami-0123456789abcdef0",
    instanceType: "t3.micro",
    userDataBase64: "YQ==",
  };

  it("instanceType updates in place (AWS stops and starts the instance)", async () => {
    const d = await diff(p, T.instance, instance, { ...instance, instanceType: "t3.large" });
    expect(d).toMatchObject({
      changes: true,
      replaces: [],
      diffs: ["instanceType"],
      detailedDiff: { instanceType: "update" },
    });
  });

  it("ami, subnet, zone and market options replace", async () => {
    for (const [key, value] of [
      ["ami", "ami-0123456789abcdef1"],
      ["subnetId", "subnet-1"],
      ["availabilityZone", "us-east-1b"],
      ["instanceMarketOptions", { marketType: "spot" }],
    ] as const) {
      const d = await diff(p, T.instance, instance, { ...instance, [key]: value });
      expect(d.replaces).toEqual([key]);
    }
  });

  it("user data updates, unless userDataReplaceOnChange", async () => {
    expect(
      (await diff(p, T.instance, instance, { ...instance, userDataBase64: "Yg==" })).detailedDiff,
    ).toEqual({ userDataBase64: "update" });
    const flagged = { ...instance, userDataReplaceOnChange: true };
    expect((await diff(p, T.instance, flagged, { ...flagged, userDataBase64: "Yg==" })).detailedDiff).toEqual(
      { userDataBase64: "update-replace" },
    );
  });

  it("EBS size updates, zone replaces; security group rules update", async () => {
    const vol = { availabilityZone: "us-east-1a", size: 10 };
    expect((await diff(p, T.volume, vol, { ...vol, size: 20 })).replaces).toEqual([]);
    expect((await diff(p, T.volume, vol, { ...vol, availabilityZone: "us-east-1b" })).replaces).toEqual([
      "availabilityZone",
    ]);
    const sg = {
      name: "sg-a",
      ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22 }],
      __defaults: ["name"],
    };
    const d = await diff(p, T.sg, sg, {
      ...sg,
      ingress: [...sg.ingress, { protocol: "tcp", fromPort: 80, toPort: 80 }],
    });
    expect(d).toMatchObject({ replaces: [], detailedDiff: { "ingress[1]": "add" } });
  });

  it("no change, no diff", async () => {
    expect(await diff(p, T.instance, instance, instance)).toMatchObject({
      changes: false,
      replaces: [],
      diffs: [],
    });
  });
});

describe("GCP diffs", () => {
  const p = gcpProvider();
  const vm: JsonObject = {
    name: "vm-1",
    zone: "us-central1-a",
    machineType: "n1-standard-4",
    metadata: { "user-data": "a" },
    scheduling: { provisioningModel: "STANDARD" },
  };

  it("machineType and metadata update; zone and provisioning model replace", async () => {
    expect((await diff(p, T.gce, vm, { ...vm, machineType: "n1-standard-8" })).replaces).toEqual([]);
    expect((await diff(p, T.gce, vm, { ...vm, metadata: { "user-data": "b" } })).detailedDiff).toEqual({
      'metadata["user-data"]': "update",
    });
    expect((await diff(p, T.gce, vm, { ...vm, zone: "us-central1-b" })).replaces).toEqual(["zone"]);
    const spot = await diff(p, T.gce, vm, { ...vm, scheduling: { provisioningModel: "SPOT" } });
    expect(spot.detailedDiff).toEqual({ "scheduling.provisioningModel": "update-replace" });
  });

  it("a user-named resource is deleted before its replacement is created; an autonamed one is not", async () => {
    expect((await diff(p, T.gce, vm, { ...vm, zone: "us-central1-b" })).deleteBeforeReplace).toBe(true);
    const auto = { ...vm, __defaults: ["name"] };
    expect((await diff(p, T.gce, auto, { ...auto, zone: "us-central1-b" })).deleteBeforeReplace).toBe(false);
  });

  it("a disk grows in place and is replaced to shrink; firewall rules update", async () => {
    const disk = { name: "d", zone: "us-central1-a", size: 100 };
    expect((await diff(p, T.disk, disk, { ...disk, size: 200 })).replaces).toEqual([]);
    expect((await diff(p, T.disk, disk, { ...disk, size: 50 })).replaces).toEqual(["size"]);
    const fw = { name: "fw", network: "default", allows: [{ protocol: "tcp", ports: ["22"] }] };
    expect(
      (await diff(p, T.firewall, fw, { ...fw, allows: [{ protocol: "tcp", ports: ["22", "80"] }] })).replaces,
    ).toEqual([]);
  });
});

describe("Azure diffs", () => {
  const p = azureProvider();
  const vm: JsonObject = {
    resourceGroupName: "rg",
    vmName: "vm",
    hardwareProfile: { vmSize: "Standard_NC4as_T4_v3" },
    osProfile: { computerName: "vm", adminUsername: "dstack", customData: "YQ==" },
    priority: "Regular",
    zones: ["1"],
  };

  it("customData, priority and zones replace; vmSize updates", async () => {
    expect(
      (await diff(p, T.vm, vm, { ...vm, osProfile: { ...(vm.osProfile as JsonObject), customData: "Yg==" } }))
        .detailedDiff,
    ).toEqual({
      "osProfile.customData": "update-replace",
    });
    expect((await diff(p, T.vm, vm, { ...vm, priority: "Spot" })).replaces).toEqual(["priority"]);
    expect((await diff(p, T.vm, vm, { ...vm, zones: ["2"] })).replaces).toEqual(["zones"]);
    expect(
      (await diff(p, T.vm, vm, { ...vm, hardwareProfile: { vmSize: "Standard_NC8as_T4_v3" } })).replaces,
    ).toEqual([]);
  });

  it("security rules update in place", async () => {
    const nsg = { resourceGroupName: "rg", networkSecurityGroupName: "n", securityRules: [] };
    expect((await diff(p, T.nsg, nsg, { ...nsg, securityRules: [{ name: "ssh" }] })).replaces).toEqual([]);
  });
});
