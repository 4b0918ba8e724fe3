// User data of GCP instances with the real agent bundle: a #cloud-config document under GCP's 256 KiB
// limit on a metadata value, with public keys only, the same on VMs and TPU VMs.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { UserError } from "../../../src/errors.js";
import { KEY, build, installMocks, instanceSpec, onlyOfType, poolSpec, registered } from "./gcp-mocks.js";

await installMocks();
const { GCP_METADATA_VALUE_LIMIT, instanceMetadata } = await import("../../../src/stacks/gcp/metadata.js");
const { gcpPool } = await import("../../../src/stacks/gcp/pool.js");

// Built by the test global setup (scripts/build.mjs builds the agent too).
const agentSource = readFileSync(new URL("../../../dist/agent/dstack-agent.js", import.meta.url), "utf8");

describe("GCP user data", () => {
  it("is #cloud-config, under 256 KiB, with the keys for root and no private key", async () => {
    const { resources } = await build(poolSpec(), agentSource);
    const metadata = onlyOfType(resources, "gcp:compute/instance:Instance").inputs.metadata as Record<
      string,
      string
    >;
    const userData = metadata["user-data"] ?? "";
    expect(userData.startsWith("#cloud-config\n")).toBe(true);
    expect(Buffer.byteLength(userData)).toBeLessThan(GCP_METADATA_VALUE_LIMIT);
    expect(userData).toContain(KEY);
    expect(userData).not.toMatch(/PRIVATE KEY/);
    expect(metadata["ssh-keys"]).toBe(`root:${KEY}`);
  });

  it("a TPU VM gets the same document", async () => {
    const tpu = instanceSpec({ tpu: true, accelerator: { type: "v5litepod-8", count: 1 } });
    const { resources } = await build(poolSpec({ instances: [tpu] }), agentSource);
    const metadata = onlyOfType(resources, "gcp:tpu/v2Vm:V2Vm").inputs.metadata as Record<string, string>;
    expect(metadata["user-data"]).toBe(instanceMetadata(poolSpec(), "gpu-0", agentSource)["user-data"]);
  });

  it("refuses a private key given as a login key", () => {
    const spec = poolSpec({
      ssh_public_keys: ["-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEA\n"],
    });
    expect(() => instanceMetadata(spec, "gpu-0", agentSource)).toThrow(/not an OpenSSH public key/);
  });

  it("refuses user data over GCP's limit with a clear error, before registering anything", () => {
    // Random bytes: gzip cannot bring them under the limit.
    const huge = randomBytes(300 * 1024).toString("base64");
    const before = registered.length;
    let error: unknown;
    try {
      gcpPool(poolSpec(), { agentSource: huge });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe("gcp-user-data-too-large");
    expect(registered.length).toBe(before);
  });
});
