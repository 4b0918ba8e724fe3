// The build spec (POST /api/builds): defaults, and every problem listed in one answer.
import { describe, expect, it } from "vitest";
import { parseBuildSpec } from "../../../src/runtime-agent/build-spec.js";

const valid = {
  name: "env-abc",
  base_image: "dstack/base:py3.11",
  commands: ["pip install -r requirements.txt"],
  image: "127.0.0.1:5000/dstack/env:abc123",
};

describe("parseBuildSpec", () => {
  it("fills defaults: no env, workdir /workflow, no repo upload, no credentials", () => {
    expect(parseBuildSpec(valid)).toEqual({
      spec: { ...valid, env: {}, workdir: "/workflow", repo_upload: false },
    });
  });

  it("keeps credentials for the push and the base image apart", () => {
    const push = { username: "AWS", password: "token" };
    const base = { username: "bot", password: "pat" };
    const parsed = parseBuildSpec({ ...valid, registry_auth: push, base_registry_auth: base });
    expect(parsed).toMatchObject({ spec: { registry_auth: push, base_registry_auth: base } });
  });

  it("lists every problem at once", () => {
    const parsed = parseBuildSpec({
      name: "Bad_Name",
      base_image: 3,
      commands: [],
      env: { "NOT-A-NAME": "x", OK: "y" },
      image: "127.0.0.1:5000/dstack/env",
      registry_auth: { username: "u" },
      workdir: "relative",
    });
    expect(parsed).toEqual({
      errors: [
        "base_image: expected a string, got 3",
        "registry_auth.password: expected a string, got undefined",
        'name: "Bad_Name" must match ^[a-z0-9][a-z0-9-]{0,62}$',
        "commands: expected at least one command",
        'env: "NOT-A-NAME" is not a variable name (^[A-Za-z_][A-Za-z0-9_]*$)',
        'image: "127.0.0.1:5000/dstack/env" must be <registry>/<repository>:<tag>, e.g. 127.0.0.1:5000/dstack/env:abc',
        "workdir: must be an absolute path",
      ],
    });
  });

  it.each([
    ["no registry", "dstack/env:abc"],
    ["no repository", "127.0.0.1:5000"],
    ["a digest instead of a tag", "127.0.0.1:5000/dstack/env@sha256:abc"],
  ])("refuses an image with %s", (_, image) => {
    expect(parseBuildSpec({ ...valid, image })).toMatchObject({
      errors: [expect.stringMatching(/^image: /) as unknown],
    });
  });

  it("accepts a cloud registry's reference", () => {
    const image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/dstack-main:3f2a";
    expect(parseBuildSpec({ ...valid, image })).toMatchObject({ spec: { image } });
  });

  it("refuses a missing commands list and a non-object", () => {
    expect(parseBuildSpec({ ...valid, commands: undefined })).toEqual({
      errors: ["commands: expected at least one command"],
    });
    expect(parseBuildSpec([])).toEqual({ errors: ["expected a JSON object"] });
  });
});
