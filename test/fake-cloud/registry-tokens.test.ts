// The registries' data plane and login tokens (SPEC.md "The registries' data plane and login tokens"):
// the token invokes in the real invokes' shapes, and the repositories' endpoints pointing into a loopback
// registry when DSTACK_FAKE_CLOUD_REGISTRY names one.
import { afterEach, describe, expect, it } from "vitest";
import { REGISTRY_ENV } from "./core/data-plane.js";
import { fakeRegistryToken } from "./core/registry-tokens.js";
import type { JsonObject } from "./core/values.js";
import { awsProvider, gcpProvider, make, T } from "./helpers.js";

const invoke = async (p: ReturnType<typeof awsProvider>, token: string): Promise<JsonObject> =>
  (await p.invoke(token, {})).outputs as JsonObject;

afterEach(() => {
  delete process.env[REGISTRY_ENV];
});

describe("login tokens", () => {
  it("ECR's authorization token is AWS:<password>, base64, for the account's registry in the region", async () => {
    const out = await invoke(awsProvider(), "aws:ecr/getAuthorizationToken:getAuthorizationToken");
    const password = fakeRegistryToken("aws:123456789012:us-east-1");
    expect(out).toMatchObject({
      id: "us-east-1",
      userName: "AWS",
      password,
      proxyEndpoint: "https://123456789012.dkr.ecr.us-east-1.amazonaws.com",
    });
    expect(Buffer.from(out.authorizationToken as string, "base64").toString()).toBe(`AWS:${password}`);
    expect(password).toMatch(/^fake-registry-token-[0-9a-f]{32}$/);
  });

  it("GCP's client config gives the project's access token and the provider's settings", async () => {
    const out = await invoke(gcpProvider(), "gcp:organizations/getClientConfig:getClientConfig");
    expect(out).toMatchObject({
      accessToken: fakeRegistryToken("gcp:proj-1"),
      project: "proj-1",
      region: "us-central1",
    });
    expect(out.accessToken).not.toBe(fakeRegistryToken("aws:123456789012:us-east-1"));
  });
});

describe("the data plane on loopback", () => {
  it("points ECR and Artifact Registry endpoints into the loopback registry, one path per cloud and region", async () => {
    process.env[REGISTRY_ENV] = "127.0.0.1:5999";
    const ecr = await make(awsProvider(), T.ecr, "repo", { name: "dstack/main/prebuilt" });
    expect(ecr.outs.repositoryUrl).toBe("127.0.0.1:5999/aws/us-east-1/dstack/main/prebuilt");
    const ar = await make(gcpProvider(), "gcp:artifactregistry/repository:Repository", "repo", {
      repositoryId: "dstack-main",
      format: "DOCKER",
      location: "europe-west4",
    });
    expect(ar.outs.registryUri).toBe("127.0.0.1:5999/gcp/europe-west4/proj-1/dstack-main");
    const token = await invoke(awsProvider(), "aws:ecr/getAuthorizationToken:getAuthorizationToken");
    expect(token.proxyEndpoint).toBe("http://127.0.0.1:5999");
  });

  it("refuses a data plane that is not on loopback", async () => {
    process.env[REGISTRY_ENV] = "registry.example.com:5000";
    await expect(make(awsProvider(), T.ecr, "repo", { name: "dstack/main/prebuilt" })).rejects.toThrow(
      `${REGISTRY_ENV} is "registry.example.com:5000"; expected a loopback host:port`,
    );
  });
});
