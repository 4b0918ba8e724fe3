// What a build hands to Docker: the script, the build container, the commit's config.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import {
  BUILD_SCRIPT,
  buildContainerName,
  buildCreateBody,
  buildScript,
  commitConfig,
} from "../../../src/runtime-agent/build-config.js";
import type { BuildSpec } from "../../../src/runtime-agent/build-spec.js";
import { agentConfig } from "./helpers.js";

const spec: BuildSpec = {
  name: "env-abc",
  base_image: "dstack/base:py3.11",
  commands: ["echo one", "false", "echo never"],
  env: { TOKEN: "it's secret", HF_HOME: "/data/hf" },
  image: "127.0.0.1:5000/dstack/env:abc",
  workdir: "/workflow",
  repo_upload: false,
};

describe("buildScript", () => {
  it("merges stderr into stdout, stops at the first failing command, exports the env quoted", () => {
    expect(buildScript(spec)).toBe(
      [
        "exec 2>&1",
        "set -e",
        "export TOKEN='it'\\''s secret'",
        "export HF_HOME='/data/hf'",
        "cd '/workflow'",
        "echo one",
        "false",
        "echo never",
        "",
      ].join("\n"),
    );
  });

  it("runs under sh as described: the env is seen, a failure ends it with its code", () => {
    const script = buildScript({
      ...spec,
      workdir: "/",
      commands: ['echo "$TOKEN"', "exit 7", "echo never"],
    });
    let result: { status: number | null; stdout: string };
    try {
      result = { status: 0, stdout: execFileSync("sh", ["-c", script], { encoding: "utf8" }) };
    } catch (error) {
      result = error as { status: number; stdout: string };
    }
    expect(result).toMatchObject({ status: 7, stdout: "it's secret\n" });
  });
});

describe("buildCreateBody", () => {
  const config = agentConfig({ data_dir: "/var/lib/dstack", host_data_dir: "/host/inst/data" });

  it("runs the mounted script instead of the base's command, labelled for the instance, in its network", () => {
    expect(buildCreateBody(config, spec)).toEqual({
      Image: "dstack/base:py3.11",
      Entrypoint: ["/bin/sh", BUILD_SCRIPT],
      Labels: { "dstack.build": "env-abc", "dstack.instance": "inst-1", "dstack.managed": "true" },
      HostConfig: {
        NetworkMode: "host",
        Binds: [
          "/host/inst/data/builds/env-abc/repo:/workflow",
          `/host/inst/data/builds/env-abc/build.sh:${BUILD_SCRIPT}:ro`,
        ],
      },
    });
  });

  it("puts neither the env nor the commands in the container's config (the commit records it)", () => {
    const body = JSON.stringify(buildCreateBody(config, spec));
    expect(body).not.toContain("secret");
    expect(body).not.toContain("echo one");
  });

  it("names the container apart from any run's", () => {
    expect(buildContainerName(config, "env-abc")).toBe("inst-1-env-abc.build");
  });
});

describe("commitConfig", () => {
  it("keeps the base's entrypoint, command, env and workdir; blanks the build container's labels", () => {
    const base = {
      Entrypoint: ["/entrypoint.sh"],
      Cmd: ["serve"],
      Env: ["PATH=/usr/bin", "LANG=C.UTF-8"],
      WorkingDir: "/app",
      Labels: { "org.opencontainers.image.title": "app" },
    };
    expect(commitConfig(base)).toEqual({
      ...base,
      Labels: {
        "org.opencontainers.image.title": "app",
        "dstack.build": "",
        "dstack.instance": "",
        "dstack.managed": "",
      },
    });
  });

  it("gives an empty, not null, entrypoint when the base has none (null would take the build's)", () => {
    expect(commitConfig({ Entrypoint: null, Cmd: ["/bin/bash"], Env: null, Labels: null })).toEqual({
      Entrypoint: [],
      Cmd: ["/bin/bash"],
      Env: [],
      WorkingDir: "",
      Labels: { "dstack.build": "", "dstack.instance": "", "dstack.managed": "" },
    });
  });
});
