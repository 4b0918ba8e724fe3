// The AWS pool's small decisions on their own, and the specs it refuses before anything reaches AWS.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { UserError } from "../../../src/errors.js";
import type { PoolSpec } from "../../../src/stacks/pool-spec.js";
import { build, installMocks, instanceSpec, poolSpec } from "./aws-mocks.js";

await installMocks();
const { ingressPorts } = await import("../../../src/stacks/aws/security-group.js");
const { spotMaxPrice } = await import("../../../src/stacks/aws/instance.js");
const { deviceName, MAX_VOLUMES } = await import("../../../src/stacks/aws/volumes.js");

describe("pure parts", () => {
  it("ingress ports: 22 first, each port once, ascending", () => {
    expect(ingressPorts([])).toEqual([22]);
    expect(ingressPorts([8080, 22, 443, 8080])).toEqual([22, 443, 8080]);
  });

  it("spot max price: a short decimal string, whatever the float", () => {
    expect(spotMaxPrice(0.1 + 0.2)).toBe("0.3");
    expect(spotMaxPrice(32.77)).toBe("32.77");
    expect(spotMaxPrice(2)).toBe("2");
  });

  it("device names run /dev/sdf to /dev/sdp", () => {
    expect(deviceName(0)).toBe("/dev/sdf");
    expect(deviceName(MAX_VOLUMES - 1)).toBe("/dev/sdp");
  });
});

describe("specs the pool refuses or adapts to", () => {
  const refusal = async (spec: PoolSpec, agentSource?: string): Promise<UserError> => {
    try {
      await build(spec, agentSource);
    } catch (error) {
      if (error instanceof UserError) return error;
      throw error;
    }
    throw new Error("built without complaint");
  };

  it("an instance attaching a volume the pool does not have", async () => {
    const error = await refusal(poolSpec({ instances: [instanceSpec({ volumes: ["ghost"] })] }));
    expect(error.code).toBe("pool-spec-invalid");
    expect(error.message).toContain("ghost");
  });

  it("more volumes on one instance than there are device names", async () => {
    const volumes = Array.from({ length: MAX_VOLUMES + 1 }, (_, n) => ({
      name: `v${n}`,
      size_gb: 10,
      zone: "use1-az4",
      volume_id: `vol-${n}`,
    }));
    const spec = poolSpec({ volumes, instances: [instanceSpec({ volumes: volumes.map((v) => v.name) })] });
    expect((await refusal(spec)).code).toBe("aws-too-many-volumes");
  });

  it("user data over AWS's 16 KB, with the sizes in the message", async () => {
    // Random bytes do not compress: an "agent" of 30,000 of them cannot fit, gzipped or not.
    const error = await refusal(poolSpec(), randomBytes(30_000).toString("base64"));
    expect(error.code).toBe("aws-user-data-too-large");
    expect(error.message).toMatch(/gpu-pool-0 is \d+ bytes gzipped, over AWS's 16384/);
  });

  it("no SSH key: no key pair, and an instance without keyName", async () => {
    const { resources } = await build(poolSpec({ ssh_public_keys: [] }));
    expect(resources.map((r) => r.type)).not.toContain("aws:ec2/keyPair:KeyPair");
    const instance = resources.find((r) => r.type === "aws:ec2/instance:Instance");
    expect(instance?.inputs).toMatchObject({ instanceType: "g5.xlarge" });
    expect(instance?.inputs).not.toHaveProperty("keyName");
  });
});
