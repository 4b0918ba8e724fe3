// Image references for POST /images/create, and the registry credentials header.
import { describe, expect, it } from "vitest";
import { registryAuthHeader, splitImageRef } from "../../../src/runtime-agent/image-ref.js";

describe("splitImageRef", () => {
  it.each([
    ["ubuntu", "ubuntu", "latest", "https://index.docker.io/v1/"],
    ["dstack/base:py3.11", "dstack/base", "py3.11", "https://index.docker.io/v1/"],
    ["localhost:5000/team/img:v2", "localhost:5000/team/img", "v2", "localhost:5000"],
    ["ghcr.io/org/img", "ghcr.io/org/img", "latest", "ghcr.io"],
    ["nvcr.io/nvidia/pytorch@sha256:abc", "nvcr.io/nvidia/pytorch", "sha256:abc", "nvcr.io"],
  ])("%s", (ref, fromImage, tag, registry) => {
    expect(splitImageRef(ref)).toEqual({ fromImage, tag, registry });
  });
});

describe("registryAuthHeader", () => {
  it("is padded base64url JSON with the registry address (Docker's decoder loses an unpadded end)", () => {
    const header = registryAuthHeader("ghcr.io/o/i:1", { username: "u", password: "p?>" });
    expect(header).not.toMatch(/[+/]/);
    expect(header.length % 4).toBe(0);
    expect(header).toMatch(/=$/); // this JSON's length is not a multiple of 3
    expect(JSON.parse(Buffer.from(header, "base64url").toString())).toEqual({
      username: "u",
      password: "p?>",
      serveraddress: "ghcr.io",
    });
  });
});
