// The list invokes `dstack gc` asks (SPEC.md "Invokes" of aws and gcp): they read the store, so what a
// stack created and what was seeded behind the engine's back are found alike, by region (AWS) or
// project (GCP), tags or labels, state and filters, in the real invokes' shapes.
import { describe, expect, it } from "vitest";
import type { JsonObject } from "./core/values.js";
import { awsProvider, gcpProvider, make, stateDir, T } from "./helpers.js";
import { seedResource } from "./state.js";

const ami = "ami-0123456789abcdef0";
const MANAGED = { "dstack-managed": "true" };

async function outputs(
  p: ReturnType<typeof awsProvider>,
  token: string,
  args: JsonObject,
): Promise<JsonObject> {
  return (await p.invoke(token, args)).outputs as JsonObject;
}

describe("AWS list invokes", () => {
  it("getInstances finds tagged instances of the provider's region by tags and state; getInstance describes one", async () => {
    const dir = stateDir();
    const p = awsProvider(dir);
    const made = await make(p, T.instance, "vm", { ami, instanceType: "t3.large", tags: { ...MANAGED } });
    await make(p, T.instance, "plain", { ami, instanceType: "t3.large" });
    seedResource(dir, "aws", {
      type: T.instance,
      id: "i-0seeded000000000a",
      outputs: {
        arn: "arn:aws:ec2:us-east-1:123456789012:instance/i-0seeded000000000a",
        availabilityZone: "us-east-1b",
        instanceType: "g5.xlarge",
        instanceState: "stopped",
        tags: { ...MANAGED, Name: "lost" },
      },
    });
    seedResource(dir, "aws", {
      type: T.instance,
      id: "i-0elsewhere00000b",
      outputs: { availabilityZone: "eu-west-1a", tags: { ...MANAGED } },
    });
    const all = await outputs(p, "aws:ec2/getInstances:getInstances", { instanceTags: MANAGED });
    expect(all).toMatchObject({
      id: "us-east-1",
      region: "us-east-1",
      ids: [made.id, "i-0seeded000000000a"],
    });
    const running = await outputs(p, "aws:ec2/getInstances:getInstances", {
      instanceTags: MANAGED,
      instanceStateNames: ["running", "pending"],
    });
    expect(running.ids).toEqual([made.id]);
    const byFilter = await outputs(p, "aws:ec2/getInstances:getInstances", {
      filters: [{ name: "tag:Name", values: ["lo*"] }],
    });
    expect(byFilter.ids).toEqual(["i-0seeded000000000a"]);

    const one = await outputs(p, "aws:ec2/getInstance:getInstance", { instanceId: "i-0seeded000000000a" });
    expect(one).toMatchObject({
      id: "i-0seeded000000000a",
      instanceType: "g5.xlarge",
      instanceState: "stopped",
      availabilityZone: "us-east-1b",
      tags: { Name: "lost" },
    });
    expect(Date.parse(one.launchTime as string)).not.toBeNaN();
    await expect(p.invoke("aws:ec2/getInstance:getInstance", { instanceId: "i-0nothere" })).rejects.toThrow(
      "no matching EC2 Instance found",
    );
    await expect(p.invoke("aws:ec2/getInstance:getInstance", { instanceTags: MANAGED })).rejects.toThrow(
      "multiple EC2 Instances matched; use additional constraints to reduce matches to a single EC2 Instance",
    );
    await expect(
      p.invoke("aws:ec2/getInstances:getInstances", { filters: [{ name: "image-id", values: [ami] }] }),
    ).rejects.toThrow('getInstances filter "image-id" is not modelled');
  });

  it("getEbsVolumes lists tagged volumes with status in-use while attached; getVolume describes one", async () => {
    const p = awsProvider();
    const vm = await make(p, T.instance, "vm", { ami, instanceType: "t3.large" });
    const data = await make(p, T.volume, "data", {
      availabilityZone: vm.outs.availabilityZone as string,
      size: 100,
      tags: { ...MANAGED, "dstack-volume": "data" },
    });
    const spare = await make(p, T.volume, "spare", {
      availabilityZone: "us-east-1a",
      size: 10,
      tags: { ...MANAGED },
    });
    await make(p, T.volume, "other", { availabilityZone: "us-east-1a", size: 10 });
    await make(p, T.attachment, "attach", { deviceName: "/dev/sdf", instanceId: vm.id, volumeId: data.id });
    const tagged = await outputs(p, "aws:ebs/getEbsVolumes:getEbsVolumes", { tags: MANAGED });
    expect(tagged.ids).toEqual([data.id, spare.id]);
    const free = await outputs(p, "aws:ebs/getEbsVolumes:getEbsVolumes", {
      tags: MANAGED,
      filters: [{ name: "status", values: ["available"] }],
    });
    expect(free.ids).toEqual([spare.id]);
    const one = await outputs(p, "aws:ebs/getVolume:getVolume", {
      filters: [{ name: "volume-id", values: [data.id] }],
    });
    expect(one).toMatchObject({
      id: data.id,
      volumeId: data.id,
      size: 100,
      tags: { "dstack-volume": "data" },
    });
    expect(Date.parse(one.createTime as string)).not.toBeNaN();
    await expect(p.invoke("aws:ebs/getVolume:getVolume", { tags: MANAGED })).rejects.toThrow(
      "multiple EBS Volumes matched",
    );
    const newest = await outputs(p, "aws:ebs/getVolume:getVolume", { tags: MANAGED, mostRecent: true });
    expect([data.id, spare.id]).toContain(newest.id);
  });

  it("getSecurityGroups lists tagged groups with arns and VPCs; getSecurityGroup describes one by id", async () => {
    const p = awsProvider();
    const sg = await make(p, T.sg, "sg", { name: "dstack-sg", tags: { ...MANAGED } });
    await make(p, T.sg, "other", { name: "other-sg" });
    const list = await outputs(p, "aws:ec2/getSecurityGroups:getSecurityGroups", { tags: MANAGED });
    expect(list).toMatchObject({ ids: [sg.id], arns: [sg.outs.arn], vpcIds: [sg.outs.vpcId] });
    const one = await outputs(p, "aws:ec2/getSecurityGroup:getSecurityGroup", { id: sg.id });
    expect(one).toMatchObject({ id: sg.id, name: "dstack-sg", vpcId: sg.outs.vpcId, tags: MANAGED });
    await expect(p.invoke("aws:ec2/getSecurityGroup:getSecurityGroup", { id: "sg-0none" })).rejects.toThrow(
      "no matching EC2 Security Group found",
    );
  });
});

describe("GCP asset search", () => {
  it("finds labelled instances, TPU VMs and disks of one project, as full resource names", async () => {
    const dir = stateDir();
    const p = gcpProvider(dir);
    const labels = { "dstack-managed": "true" };
    const vm = await make(p, T.gce, "vm", {
      name: "vm-1",
      zone: "us-central1-a",
      machineType: "n1-standard-4",
      bootDisk: { initializeParams: { image: "debian-12" } },
      networkInterfaces: [{ network: "default" }],
      labels,
    });
    const disk = await make(p, T.disk, "disk", { name: "data-1", zone: "us-central1-a", size: 50, labels });
    await make(p, T.disk, "plain", { name: "plain-1", zone: "us-central1-a", size: 50 });
    seedResource(dir, "gcp", {
      type: T.gce,
      id: "projects/other-project/zones/us-central1-a/instances/theirs",
      outputs: { labels },
    });
    const found = (
      await p.invoke("gcp:cloudasset/getSearchAllResources:getSearchAllResources", {
        scope: "projects/proj-1",
        assetTypes: [
          "compute.googleapis.com/Instance",
          "compute.googleapis.com/Disk",
          "tpu.googleapis.com/Node",
        ],
        query: "labels.dstack-managed=true",
      })
    ).outputs as { results: JsonObject[] };
    expect(found.results.map((r) => [r.assetType, r.name, r.location])).toEqual([
      ["compute.googleapis.com/Instance", `//compute.googleapis.com/${vm.id}`, "us-central1-a"],
      ["compute.googleapis.com/Disk", `//compute.googleapis.com/${disk.id}`, "us-central1-a"],
    ]);
    expect(found.results[0]).toMatchObject({ displayName: "vm-1", labels, project: "projects/proj-1" });
    await expect(
      p.invoke("gcp:cloudasset/getSearchAllResources:getSearchAllResources", {
        scope: "organizations/1",
      }),
    ).rejects.toThrow('scope "organizations/1" is not modelled');
    await expect(
      p.invoke("gcp:cloudasset/getSearchAllResources:getSearchAllResources", {
        scope: "projects/proj-1",
        query: "state:RUNNING",
      }),
    ).rejects.toThrow('query term "state:RUNNING" is not modelled');
  });
});
