// Job spec validation: defaults, every problem listed, credentials kept apart.
import { describe, expect, it } from "vitest";
import { parseJobSpec } from "../../../src/runtime-agent/spec.js";

const minimal = { spec_version: 1, name: "dev-1", kind: "dev-environment", image: "ubuntu:22.04" };

describe("parseJobSpec", () => {
  it("fills defaults for a minimal spec", () => {
    const r = parseJobSpec(minimal);
    expect("spec" in r && r.spec).toMatchObject({
      working_dir: "/workflow",
      pull: false,
      env: {},
      volumes: [],
      gpus: 0,
      inactivity_duration: null,
      max_duration: null,
      repo_upload: false,
    });
  });

  it("reads volumes of both kinds and registry auth", () => {
    const r = parseJobSpec({
      ...minimal,
      registry_auth: { username: "u", password: "p" },
      volumes: [
        { kind: "network", name: "data", path: "/data" },
        { kind: "instance", instance_path: "/mnt/cache", path: "/cache", optional: true },
      ],
    });
    if (!("spec" in r)) throw new Error(r.errors.join());
    expect(r.spec.registry_auth).toEqual({ username: "u", password: "p" });
    expect(r.spec.volumes[1]).toEqual({
      kind: "instance",
      instance_path: "/mnt/cache",
      path: "/cache",
      optional: true,
    });
  });

  it("lists every problem, with paths", () => {
    const r = parseJobSpec({
      spec_version: 2,
      name: "Bad_Name",
      kind: "service",
      env: { A: 1 },
      volumes: [{ kind: "network", path: 3 }],
      working_dir: "rel",
    });
    expect("errors" in r && r.errors).toEqual([
      "spec_version: this agent reads 1, got 2",
      expect.stringMatching(/^kind: expected dev-environment \| task/),
      expect.stringMatching(/^image: expected a string/),
      "env: expected an object of string values",
      expect.stringMatching(/^volumes\[0\]\.path: expected a string/),
      expect.stringMatching(/^volumes\[0\]\.name: expected a string/),
      expect.stringMatching(/^name: "Bad_Name" must match/),
      "working_dir: must be an absolute path",
    ]);
  });

  it("rejects a non-object", () => {
    expect(parseJobSpec([])).toEqual({ errors: ["expected a JSON object"] });
  });
});
