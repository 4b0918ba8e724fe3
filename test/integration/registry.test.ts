// The registry client against the real local registry (scripts/ensure-registry): images committed and
// pushed with the real Docker engine are found with their digest, size, creation time and labels,
// listed in tags and the catalog, deleted by tag (and then gone for `docker pull` too), and a registry
// that does not answer is a UserError naming the URL and the script that starts it.
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RegistryClient } from "../../src/build/registry-client.js";
import { UserError } from "../../src/errors.js";
import { containersWithLabel, docker, requireDockerImages, tryDocker } from "./docker.js";
import { commitAndPush, requireRegistry } from "./registry.js";

const BASE = "dstack/base:py3.11";
const run = `${Date.now().toString(36)}-${process.pid}`;
const REPO = `dstack-it/registry-${run}`;
const TEST_LABEL = `dstack.test=registry-${run}`;

let address: string;
let client: RegistryClient;
const pushed: { a: string; b: string } = { a: "", b: "" };
let pushedAt: { before: number; after: number };

beforeAll(async () => {
  requireDockerImages(BASE);
  address = await requireRegistry();
  client = new RegistryClient(address);
  const before = Date.now();
  pushed.a = commitAndPush(BASE, `${address}/${REPO}:key-a`, { "dstack.build-key": "key-a" }, TEST_LABEL);
  pushed.b = commitAndPush(BASE, `${address}/${REPO}:key-b`, { "dstack.build-key": "key-b" }, TEST_LABEL);
  pushedAt = { before, after: Date.now() };
}, 600_000);

afterAll(async () => {
  if (client !== undefined)
    for (const tag of ["key-a", "key-b"]) await client.deleteTag(REPO, tag).catch(() => false);
  if (address !== undefined)
    for (const tag of ["key-a", "key-b"]) tryDocker(["rmi", `${address}/${REPO}:${tag}`]);
  expect(containersWithLabel(TEST_LABEL)).toEqual([]);
});

describe("RegistryClient against the local registry", () => {
  it("pings it", async () => {
    await expect(client.ping()).resolves.toBeUndefined();
  });

  it("describes a pushed image: the digest docker push printed, its size, creation time and labels", async () => {
    const m = await client.manifest(REPO, "key-a");
    expect(m).toBeDefined();
    expect(m!.digest).toBe(pushed.a);
    expect(m!.mediaType).toBe("application/vnd.docker.distribution.manifest.v2+json");
    expect(m!.labels["dstack.build-key"]).toBe("key-a");
    // Compressed layers: more than nothing, less than the unpacked image Docker reports.
    const unpacked = Number(docker(["image", "inspect", "--format", "{{.Size}}", BASE]));
    expect(m!.size).toBeGreaterThan(1_000_000);
    expect(m!.size).toBeLessThan(unpacked);
    // Docker stamps `created` at commit time, with one-second leeway for clock rounding.
    expect(m!.created!.getTime()).toBeGreaterThanOrEqual(pushedAt.before - 1_000);
    expect(m!.created!.getTime()).toBeLessThanOrEqual(pushedAt.after + 1_000);
  });

  it("describes a multi-platform index by this platform's image, under the index's digest", async () => {
    const one = await fetch(`http://${address}/v2/${REPO}/manifests/key-b`, {
      method: "HEAD",
      headers: { accept: "application/vnd.docker.distribution.manifest.v2+json" },
    });
    const index = JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.index.v1+json",
      manifests: [
        {
          mediaType: "application/vnd.docker.distribution.manifest.v2+json",
          digest: pushed.b,
          size: Number(one.headers.get("content-length")),
          platform: { os: "linux", architecture: "amd64" },
        },
      ],
    });
    const put = await fetch(`http://${address}/v2/${REPO}/manifests/multi`, {
      method: "PUT",
      headers: { "content-type": "application/vnd.oci.image.index.v1+json" },
      body: index,
    });
    expect(put.status).toBe(201);
    const m = (await client.manifest(REPO, "multi"))!;
    expect(m.digest).toBe(put.headers.get("docker-content-digest"));
    expect(m.digest).not.toBe(pushed.b);
    expect(m.labels["dstack.build-key"]).toBe("key-b");
    expect(m.size).toBe((await client.manifest(REPO, "key-b"))!.size);
    await expect(
      new RegistryClient(address, { platform: "linux/arm64" }).manifest(REPO, "multi"),
    ).rejects.toThrow(`${REPO}:multi has no image for linux/arm64`);
    expect(await client.deleteTag(REPO, "multi")).toBe(true);
    expect(await client.manifest(REPO, "key-b")).toBeDefined();
  });

  it("lists the tags and the catalog", async () => {
    expect(await client.tags(REPO)).toEqual(["key-a", "key-b"]);
    expect(await client.catalog()).toContain(REPO);
  });

  it("answers undefined / empty for a tag or repository that does not exist", async () => {
    expect(await client.manifest(REPO, "no-such-tag")).toBeUndefined();
    expect(await client.manifest(`dstack-it/absent-${run}`, "key-a")).toBeUndefined();
    expect(await client.tags(`dstack-it/absent-${run}`)).toEqual([]);
    expect(await client.deleteTag(REPO, "no-such-tag")).toBe(false);
  });

  it("deletes one tag: the other stays, and docker can no longer pull the deleted one", async () => {
    expect(await client.deleteTag(REPO, "key-a")).toBe(true);
    expect(await client.manifest(REPO, "key-a")).toBeUndefined();
    expect(await client.tags(REPO)).toEqual(["key-b"]);
    expect((await client.manifest(REPO, "key-b"))!.digest).toBe(pushed.b);
    expect(await client.deleteTag(REPO, "key-a")).toBe(false);

    tryDocker(["rmi", `${address}/${REPO}:key-a`, `${address}/${REPO}:key-b`]);
    const gone = tryDocker(["pull", `${address}/${REPO}:key-a`], 120_000);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toMatch(/not found|manifest unknown/i);
    const kept = tryDocker(["pull", `${address}/${REPO}:key-b`], 120_000);
    expect(kept.stderr).toBe("");
    expect(kept.code).toBe(0);
    expect(
      docker(["image", "inspect", "--format", "{{index .RepoDigests 0}}", `${address}/${REPO}:key-b`]),
    ).toBe(`${address}/${REPO}@${pushed.b}`);
  }, 180_000);
});

describe("RegistryClient when no registry answers", () => {
  it("is a UserError naming the URL and how to start the local registry", async () => {
    const port = await closedPort();
    const err = await new RegistryClient(`127.0.0.1:${port}`).ping().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toContain(`no registry answers on http://127.0.0.1:${port}`);
    expect((err as UserError).message).toContain("ECONNREFUSED");
    expect((err as UserError).hint).toBe("start the local registry with ./scripts/ensure-registry");
  });
});

/** A loopback port nothing listens on (bound, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
