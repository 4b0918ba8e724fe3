// The registry client's input checks and addresses (its calls are tested against the real registry in
// test/integration/registry.test.ts): bad names are UserErrors before any request is made.
import { describe, expect, it } from "vitest";
import { localRegistryAddress, RegistryClient } from "../../../src/build/registry-client.js";
import { UserError } from "../../../src/errors.js";

// Nothing listens on port 9 (discard): a check that let a bad name through would fail with "no registry answers".
const client = new RegistryClient("127.0.0.1:9", { timeoutMs: 1_000 });

describe("RegistryClient", () => {
  it("takes host:port or a URL", () => {
    expect(new RegistryClient("127.0.0.1:5000").url).toBe("http://127.0.0.1:5000");
    expect(new RegistryClient("https://registry.example/").url).toBe("https://registry.example");
  });

  it.each([
    ["Dstack/Upper", "t"],
    ["a//b", "t"],
    ["-a", "t"],
    ["ok/repo", "bad tag"],
    ["ok/repo", ".dot"],
    ["ok/repo", "x".repeat(129)],
  ])("refuses repository %s / tag %s before asking the registry", async (repo, tag) => {
    const err = await client.manifest(repo, tag).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(/is not a valid (repository name|tag)/);
  });
});

describe("localRegistryAddress", () => {
  it("is 127.0.0.1:5000 unless DSTACK_REGISTRY_PORT says otherwise", () => {
    expect(localRegistryAddress({})).toBe("127.0.0.1:5000");
    expect(localRegistryAddress({ DSTACK_REGISTRY_PORT: "5123" })).toBe("127.0.0.1:5123");
  });
});
