// The AWS pool program under setMocks: which resources and lookups a spec turns into, with which
// properties and options, and what the pool exports. No AWS API and no Pulumi CLI are involved.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { PoolInstanceSpec } from "../../../src/stacks/pool-spec.js";
import { AWS_USER_DATA_LIMIT } from "../../../src/templates/user-data.js";
import {
  AZ_NAMES,
  DEFAULT_VPC,
  DLAMI_ID,
  FAKE_AGENT,
  KEY,
  KEY2,
  UBUNTU_ID,
  build,
  installMocks,
  instanceSpec,
  one,
  ofType,
  poolSpec,
  type Registered,
} from "./aws-mocks.js";

await installMocks();

const INSTANCE = "aws:ec2/instance:Instance";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const KEY_PAIR = "aws:ec2/keyPair:KeyPair";
const VOLUME = "aws:ebs/volume:Volume";
const ATTACHMENT = "aws:ec2/volumeAttachment:VolumeAttachment";
const PROVIDER = "pulumi:providers:aws";
const COMPONENT = "dstack:aws:Pool";

const inputsOf = <T>(r: Registered): T => r.inputs as T;

interface InstanceInputs {
  instanceType: string;
  ami: string;
  subnetId: string;
  keyName?: string;
  vpcSecurityGroupIds: string[];
  userDataBase64: string;
  instanceMarketOptions?: {
    marketType: string;
    spotOptions: { maxPrice?: string; spotInstanceType: string; instanceInterruptionBehavior: string };
  };
  capacityReservationSpecification?: { capacityReservationTarget: { capacityReservationId: string } };
  rootBlockDevice: { volumeSize: number; volumeType: string; deleteOnTermination: boolean };
  tags: Record<string, string>;
}

describe("an on-demand single-GPU pool in the default VPC", async () => {
  const { outputs, resources, invokes } = await build(poolSpec());

  it("registers exactly a component, its provider, a security group, a key pair and the instance", () => {
    expect(resources.map((r) => `${r.type}::${r.name}`).sort()).toEqual(
      [
        `${PROVIDER}::gpu-pool-aws`,
        `${INSTANCE}::gpu-pool-0`,
        `${KEY_PAIR}::gpu-pool-key`,
        `${SG}::gpu-pool-sg`,
        `${COMPONENT}::gpu-pool`,
      ].sort(),
    );
  });

  it("puts every resource under the component, on the pool's own provider in the spec's region", () => {
    const component = one(resources, COMPONENT);
    const provider = one(resources, PROVIDER);
    expect(provider.inputs.region).toBe("us-east-1");
    const parentUrn = "urn:pulumi:stack::proj::dstack:aws:Pool::gpu-pool";
    expect(component.parent).toBe("");
    for (const r of resources.filter((r) => r.type !== COMPONENT)) expect(r.parent).toBe(parentUrn);
    for (const r of resources.filter((r) => r.custom && r.type !== PROVIDER))
      expect(r.provider).toMatch(/\$pulumi:providers:aws::gpu-pool-aws::/);
  });

  it("looks up the default VPC, the zone's default subnet and the DLAMI, through the pool's provider", () => {
    expect(invokes.map((i) => i.token).sort()).toEqual([
      "aws:ec2/getAmi:getAmi",
      "aws:ec2/getSubnet:getSubnet",
      "aws:ec2/getVpc:getVpc",
    ]);
    for (const call of invokes) expect(call.provider).toMatch(/::gpu-pool-aws::/);
    expect(invokes.find((i) => i.token === "aws:ec2/getVpc:getVpc")?.inputs).toEqual({ default: true });
    expect(invokes.find((i) => i.token === "aws:ec2/getSubnet:getSubnet")?.inputs.filters).toEqual([
      { name: "vpc-id", values: [DEFAULT_VPC] },
      { name: "availability-zone-id", values: ["use1-az4"] },
      { name: "default-for-az", values: ["true"] },
    ]);
    const ami = invokes.find((i) => i.token === "aws:ec2/getAmi:getAmi")?.inputs;
    expect(ami).toMatchObject({ mostRecent: true, owners: ["amazon"] });
    expect(ami?.filters).toContainEqual({
      name: "name",
      values: ["Deep Learning Base OSS Nvidia Driver GPU AMI (Ubuntu 22.04) *"],
    });
    expect(ami?.filters).toContainEqual({ name: "architecture", values: ["x86_64"] });
  });

  it("launches the instance on demand, in the zone's subnet, with a gp3 root disk of disk_gb", () => {
    const instance = inputsOf<InstanceInputs>(one(resources, INSTANCE));
    expect(instance).toMatchObject({
      instanceType: "g5.xlarge",
      ami: DLAMI_ID,
      subnetId: "subnet-use1-az4",
      keyName: "dstack-main-gpu-pool-key",
      vpcSecurityGroupIds: ["sg-gpu-pool-sg"],
      rootBlockDevice: { volumeSize: 100, volumeType: "gp3", deleteOnTermination: true },
    });
    expect(instance.instanceMarketOptions).toBeUndefined();
    expect(instance.capacityReservationSpecification).toBeUndefined();
  });

  it("keeps a looked-up AMI from replacing running instances", () => {
    expect(one(resources, INSTANCE).ignoreChanges).toEqual(["ami"]);
  });

  it("imports the first key as a fixed-name key pair that is replaced in place of its name", () => {
    const keyPair = one(resources, KEY_PAIR);
    expect(keyPair.inputs).toMatchObject({ keyName: "dstack-main-gpu-pool-key", publicKey: KEY });
    expect(keyPair.deleteBeforeReplace).toBe(true);
    // The instance names the key pair by its plain name, so it must wait for it explicitly.
    expect(one(resources, INSTANCE).dependencies).toContain(
      "urn:pulumi:stack::proj::dstack:aws:Pool$aws:ec2/keyPair:KeyPair::gpu-pool-key",
    );
  });

  it("exports the instance as the CLI reaches it: root over SSH on 22, at its public address", () => {
    expect(outputs.volumes).toEqual([]);
    expect(outputs.instances).toEqual([
      {
        name: "gpu-pool-0",
        id: "i-gpu-pool-0",
        zone: AZ_NAMES["use1-az4"],
        public_ip: expect.stringMatching(/^203\.0\.113\./) as unknown,
        private_ip: expect.stringMatching(/^172\.31\./) as unknown,
        ssh_user: "root",
        ssh_port: 22,
        spot: false,
      },
    ]);
  });
});

describe("spot", () => {
  it("runs an 8-GPU spot instance one-time, terminated on interruption, capped at max_price", async () => {
    const spec = poolSpec({
      instances: [instanceSpec({ instance_type: "p4d.24xlarge", gpu_count: 8, spot: true, max_price: 12.5 })],
    });
    const { resources, outputs } = await build(spec);
    const instance = inputsOf<InstanceInputs>(one(resources, INSTANCE));
    expect(instance.instanceType).toBe("p4d.24xlarge");
    expect(instance.instanceMarketOptions).toEqual({
      marketType: "spot",
      spotOptions: {
        maxPrice: "12.5",
        spotInstanceType: "one-time",
        instanceInterruptionBehavior: "terminate",
      },
    });
    expect(outputs.instances[0]?.spot).toBe(true);
  });

  it("leaves maxPrice out without max_price (capped at the on-demand price)", async () => {
    const { resources } = await build(poolSpec({ instances: [instanceSpec({ spot: true })] }));
    const options = inputsOf<InstanceInputs>(one(resources, INSTANCE)).instanceMarketOptions;
    expect(options?.marketType).toBe("spot");
    expect(options?.spotOptions).not.toHaveProperty("maxPrice");
  });
});

it("targets the capacity reservation of a reserved instance", async () => {
  const { resources } = await build(poolSpec({ instances: [instanceSpec({ reservation: "cr-0abc123" })] }));
  expect(inputsOf<InstanceInputs>(one(resources, INSTANCE)).capacityReservationSpecification).toEqual({
    capacityReservationTarget: { capacityReservationId: "cr-0abc123" },
  });
});

describe("the security group", () => {
  interface Rule {
    protocol: string;
    fromPort: number;
    toPort: number;
    cidrBlocks: string[];
  }

  it("opens exactly 22 and the declared ports to the world, once each, and lets everything out", async () => {
    const { resources } = await build(poolSpec({ ports: [8888, 22, 6006, 8888] }));
    const sg = inputsOf<{ ingress: Rule[]; egress: Rule[]; vpcId: string; name: string }>(one(resources, SG));
    expect(sg.ingress.map((r) => [r.protocol, r.fromPort, r.toPort, r.cidrBlocks])).toEqual([
      ["tcp", 22, 22, ["0.0.0.0/0"]],
      ["tcp", 6006, 6006, ["0.0.0.0/0"]],
      ["tcp", 8888, 8888, ["0.0.0.0/0"]],
    ]);
    expect(sg.egress).toEqual([{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }]);
    expect(sg.vpcId).toBe(DEFAULT_VPC);
    expect(sg.name).toBe("dstack-main-gpu-pool-sg");
  });

  it("changes alone when a port is added: every other resource keeps its name and inputs", async () => {
    const before = (await build(poolSpec({ ports: [8888] }))).resources;
    const after = (await build(poolSpec({ ports: [8888, 6006] }))).resources;
    const key = (r: Registered): string => `${r.type}::${r.name}`;
    expect(after.map(key).sort()).toEqual(before.map(key).sort());
    const changed = after.filter(
      (r) => JSON.stringify(r.inputs) !== JSON.stringify(before.find((b) => key(b) === key(r))?.inputs),
    );
    expect(changed.map(key)).toEqual([`${SG}::gpu-pool-sg`]);
  });
});

describe("volumes", async () => {
  const spec = poolSpec({
    instances: [
      instanceSpec({ name: "gpu-pool-0", volumes: ["data", "old"] }),
      instanceSpec({ name: "gpu-pool-1", zone: "use1-az6", volumes: ["scratch"] }),
    ],
    volumes: [
      { name: "data", size_gb: 500, zone: "use1-az4", volume_id: null },
      { name: "old", size_gb: 100, zone: "use1-az4", volume_id: "vol-0existing" },
      { name: "scratch", size_gb: 50, zone: "use1-az6", volume_id: null },
      { name: "spare", size_gb: 20, zone: "use1-az2", volume_id: null },
    ],
  });
  const { resources, outputs } = await build(spec);

  it("creates gp3 volumes in their instance's AZ, and none for an existing volume_id", () => {
    expect(
      ofType(resources, VOLUME)
        .map((r) => r.name)
        .sort(),
    ).toEqual(["data", "scratch", "spare"]);
    expect(one(resources, VOLUME, "data").inputs).toMatchObject({
      size: 500,
      type: "gp3",
      availabilityZone: AZ_NAMES["use1-az4"],
    });
    expect(one(resources, VOLUME, "scratch").inputs.availabilityZone).toBe(AZ_NAMES["use1-az6"]);
  });

  it("places a volume no instance attaches in its own zone, through the subnet lookup", () => {
    expect(one(resources, VOLUME, "spare").inputs.availabilityZone).toBe(AZ_NAMES["use1-az2"]);
  });

  it("retains every volume on delete and never moves one to another AZ", () => {
    for (const volume of ofType(resources, VOLUME)) {
      expect(volume.retainOnDelete).toBe(true);
      expect(volume.ignoreChanges).toEqual(["availabilityZone"]);
    }
    // Nothing else is retained: instances, groups and key pairs go with the pool.
    expect(resources.filter((r) => r.retainOnDelete).every((r) => r.type === VOLUME)).toBe(true);
  });

  it("attaches each volume to its instance on /dev/sdf, /dev/sdg, ..., stopping the instance to detach", () => {
    const attachments = ofType(resources, ATTACHMENT).map((r) => ({ name: r.name, ...r.inputs }));
    expect(attachments.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      {
        name: "gpu-pool-0-data",
        instanceId: "i-gpu-pool-0",
        volumeId: "vol-data",
        deviceName: "/dev/sdf",
        stopInstanceBeforeDetaching: true,
      },
      {
        name: "gpu-pool-0-old",
        instanceId: "i-gpu-pool-0",
        volumeId: "vol-0existing",
        deviceName: "/dev/sdg",
        stopInstanceBeforeDetaching: true,
      },
      {
        name: "gpu-pool-1-scratch",
        instanceId: "i-gpu-pool-1",
        volumeId: "vol-scratch",
        deviceName: "/dev/sdf",
        stopInstanceBeforeDetaching: true,
      },
    ]);
  });

  it("exports every volume's id, created or existing", () => {
    expect(outputs.volumes).toEqual([
      { name: "data", id: "vol-data" },
      { name: "old", id: "vol-0existing" },
      { name: "scratch", id: "vol-scratch" },
      { name: "spare", id: "vol-spare" },
    ]);
  });

  it("tags every taggable resource with the pool, each instance and volume with its own name", () => {
    const taggable = resources.filter((r) => r.custom && ![PROVIDER, ATTACHMENT].includes(r.type));
    expect(taggable.length).toBe(1 + 1 + 2 + 3);
    for (const r of taggable)
      expect(r.inputs.tags).toMatchObject({
        "dstack-managed": "true",
        "dstack-project": "main",
        "dstack-pool": "gpu-pool",
      });
    for (const r of ofType(resources, INSTANCE)) {
      const { tags, rootBlockDevice } = inputsOf<InstanceInputs & { rootBlockDevice: { tags: object } }>(r);
      expect(tags).toMatchObject({ "dstack-instance": r.name, Name: `dstack-main-gpu-pool-${r.name}` });
      // The root disk gets no provider default tags, so it carries its own.
      expect(rootBlockDevice.tags).toEqual(tags);
    }
    for (const r of ofType(resources, VOLUME))
      expect(r.inputs.tags).toMatchObject({ "dstack-volume": r.name });
    // And the provider tags whatever else it makes.
    const defaultTags = JSON.parse(String(one(resources, PROVIDER).inputs.defaultTags)) as unknown;
    expect(defaultTags).toEqual({
      tags: { "dstack-managed": "true", "dstack-project": "main", "dstack-pool": "gpu-pool" },
    });
  });
});

describe("images", () => {
  it("looks each kind up once: the DLAMI for GPU instances, Canonical's Ubuntu 22.04 without GPUs", async () => {
    const spec = poolSpec({
      instances: [
        instanceSpec({ name: "gpu-pool-0" }),
        instanceSpec({ name: "gpu-pool-1" }),
        instanceSpec({ name: "cpu-0", instance_type: "m5.large", gpu_count: 0, gpu_vendor: null }),
      ],
    });
    const { resources, invokes } = await build(spec);
    const amis = invokes.filter((i) => i.token === "aws:ec2/getAmi:getAmi");
    expect(amis.map((i) => i.inputs.owners)).toEqual(expect.arrayContaining([["amazon"], ["099720109477"]]));
    expect(amis).toHaveLength(2);
    const ami = (name: string): unknown => one(resources, INSTANCE, name).inputs.ami;
    expect([ami("gpu-pool-0"), ami("gpu-pool-1"), ami("cpu-0")]).toEqual([DLAMI_ID, DLAMI_ID, UBUNTU_ID]);
    // Same zone, one subnet lookup.
    expect(invokes.filter((i) => i.token === "aws:ec2/getSubnet:getSubnet")).toHaveLength(1);
  });
});

describe("configured network and image", () => {
  it("use the configured VPC, subnets in order and AMI, and look nothing up", async () => {
    const spec = poolSpec({
      network: { vpc: "vpc-0mine", subnets: ["subnet-custom-a", "subnet-custom-b"] },
      instances: ["a", "b", "c"].map((name) => instanceSpec({ name, image: "ami-0custom" })),
    });
    const { resources, invokes } = await build(spec);
    expect(invokes).toEqual([]);
    expect(one(resources, SG).inputs.vpcId).toBe("vpc-0mine");
    const instances = ["a", "b", "c"].map((name) => one(resources, INSTANCE, name));
    expect(instances.map((r) => r.inputs.subnetId)).toEqual([
      "subnet-custom-a",
      "subnet-custom-b",
      "subnet-custom-a",
    ]);
    for (const r of instances) {
      expect(r.inputs.ami).toBe("ami-0custom");
      // A configured image is the user's choice: changing it does replace the instance.
      expect(r.ignoreChanges).toEqual([]);
    }
  });
});

it("lets the cloud pick the zone: a default subnet of the VPC, the same one on every run", async () => {
  const { resources, invokes } = await build(poolSpec({ instances: [instanceSpec({ zone: null })] }));
  const subnets = invokes.find((i) => i.token === "aws:ec2/getSubnets:getSubnets");
  expect(subnets?.inputs.filters).toEqual([
    { name: "vpc-id", values: [DEFAULT_VPC] },
    { name: "default-for-az", values: ["true"] },
  ]);
  expect(invokes.some((i) => i.token === "aws:ec2/getSubnet:getSubnet")).toBe(false);
  // The mock answers az6, az1, az4: the smallest id wins, whatever the API's order.
  expect(one(resources, INSTANCE).inputs.subnetId).toBe("subnet-use1-az1");
});

describe("user data", async () => {
  // The real agent bundle, built by the test global setup: this is what must fit.
  const agentSource = readFileSync(new URL("../../../dist/agent/dstack-agent.js", import.meta.url), "utf8");
  const spec = poolSpec({ ssh_public_keys: [KEY, KEY2] });
  const { resources } = await build(spec, agentSource);
  const encoded = inputsOf<InstanceInputs>(one(resources, INSTANCE)).userDataBase64;
  const gzipped = Buffer.from(encoded, "base64");
  const text = gunzipSync(gzipped).toString("utf8");

  it("is gzip (what cloud-init detects) in base64, under AWS's 16 KB raw limit", () => {
    expect(gzipped.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    // AWS: "User data is limited to 16 KB, in raw form, before it is base64-encoded" (EC2 User Guide,
    // instance user data): the raw form of userDataBase64 is the gzip bytes.
    expect(gzipped.length).toBeLessThanOrEqual(AWS_USER_DATA_LIMIT);
    expect(encoded.length).toBe(Math.ceil(gzipped.length / 3) * 4);
  });

  it("is the instance's #cloud-config with every public key and the agent, and no private key", () => {
    expect(text.startsWith("#cloud-config\n")).toBe(true);
    expect(text).toContain("# dstack instance gpu-pool-0");
    expect(text).toContain(JSON.stringify(KEY));
    expect(text).toContain(JSON.stringify(KEY2));
    expect(text).toContain("/opt/dstack/dstack-agent.js");
    expect(text).not.toMatch(/PRIVATE KEY/);
    expect(agentSource.length).toBeGreaterThan(FAKE_AGENT.length);
  });

  it("gives the agent the instance's idle_duration (the self-stop backstop) only when the spec has one", async () => {
    const agentConfigOf = async (over: Partial<PoolInstanceSpec>): Promise<Record<string, unknown>> => {
      const built = await build(poolSpec({ instances: [instanceSpec(over)] }), agentSource);
      const data = inputsOf<InstanceInputs>(one(built.resources, INSTANCE)).userDataBase64;
      const doc = gunzipSync(Buffer.from(data, "base64")).toString("utf8");
      const line = /path: \/etc\/dstack\/agent\.json\n.*\n\s*content: (.*)\n/.exec(doc)?.[1] ?? "null";
      return JSON.parse(JSON.parse(line) as string) as Record<string, unknown>;
    };
    expect((await agentConfigOf({ idle_duration_s: 300 })).idle_duration_s).toBe(300);
    expect(await agentConfigOf({})).not.toHaveProperty("idle_duration_s");
    expect(one(resources, INSTANCE).inputs.instanceInitiatedShutdownBehavior).toBe("terminate");
  });
});
