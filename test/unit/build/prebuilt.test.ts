// The pure parts of prebuilt environments: where an image goes (repository naming), what its key is made
// of for a compiled configuration, the plan-time refusal, the run's image, and the labels a build asks for.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { prebuiltLabels, LABEL_BASE } from "../../../src/build/build-labels.js";
import { missingPrebuilt } from "../../../src/build/missing-prebuilt.js";
import { prebuiltRepository, splitPrebuiltRef } from "../../../src/build/prebuilt-name.js";
import { prebuiltTarget } from "../../../src/build/prebuilt-target.js";
import { compile } from "../../../src/compiler/compile.js";
import type { DevEnvironmentSpec, TaskSpec } from "../../../src/compiler/spec.js";
import { Secret } from "../../../src/compiler/secret.js";
import { buildJobSpec } from "../../../src/runs/job-spec.js";
import { commitConfig } from "../../../src/runtime-agent/build-config.js";
import { parseBuildSpec } from "../../../src/runtime-agent/build-spec.js";

const DIGEST = `sha256:${"cd".repeat(32)}`;
const inspect = (ref: string) => ({
  digest: ref.includes("py3.11") ? DIGEST : `sha256:${"ee".repeat(32)}`,
  platform: "linux/amd64",
});

function specOf(text: string): DevEnvironmentSpec | TaskSpec {
  const spec = compile({ file: "x.dstack.yml", text }).spec;
  if (spec === null || (spec.type !== "dev-environment" && spec.type !== "task"))
    throw new Error("not a run");
  return spec;
}

function targetOf(text: string, repoDir: string, configFile = "dev.dstack.yml") {
  return prebuiltTarget({
    spec: specOf(text),
    configFile,
    repoDir,
    registry: "127.0.0.1:5000",
    availableBaseImages: ["dstack/base:py3.11"],
    inspect,
  });
}

describe("prebuiltRepository", () => {
  it("is named after the configuration's name, else the file's stem, else its folder", () => {
    expect(prebuiltRepository({ name: "My_Dev", configFile: "x.dstack.yml", repoDir: "/r" })).toBe(
      "dstack-prebuilt/my-dev",
    );
    expect(prebuiltRepository({ name: null, configFile: "train.dstack.yml", repoDir: "/r" })).toBe(
      "dstack-prebuilt/train",
    );
    expect(prebuiltRepository({ name: null, configFile: "conf/gpu.yaml", repoDir: "/r" })).toBe(
      "dstack-prebuilt/gpu",
    );
    expect(prebuiltRepository({ name: null, configFile: ".dstack.yml", repoDir: "/home/me/Proj.X" })).toBe(
      "dstack-prebuilt/proj-x",
    );
    expect(prebuiltRepository({ name: null, configFile: ".dstack.yml", repoDir: "/" })).toBe(
      "dstack-prebuilt/env",
    );
  });

  it("splits a reference into registry, repository and tag", () => {
    expect(splitPrebuiltRef("127.0.0.1:5000/dstack-prebuilt/dev:0123abcd")).toEqual({
      registry: "127.0.0.1:5000",
      repository: "dstack-prebuilt/dev",
      tag: "0123abcd",
    });
    expect(splitPrebuiltRef("0123abcd")).toBeUndefined();
  });
});

describe("prebuiltTarget", () => {
  const dir = mkdtempSync(join(tmpdir(), "dstack-prebuilt-"));
  writeFileSync(join(dir, "requirements.txt"), "numpy\n");
  const dev = "type: dev-environment\nname: dev\nbuild:\n  - pip install -r requirements.txt\n";

  it("keys the default base's digest, the commands and the files they read, under the configuration's repository", () => {
    const t = targetOf(dev, dir);
    expect(t.base).toBe("dstack/base:py3.11");
    expect(t.baseDigest).toBe(DIGEST);
    expect(t.cuda).toBe("none");
    expect(t.ref).toBe(`127.0.0.1:5000/dstack-prebuilt/dev:${t.key.key}`);
    expect(t.key.hashedFiles.map((f) => f.path)).toEqual(["requirements.txt"]);
    expect(JSON.parse(t.key.canonical)).toMatchObject({
      base: DIGEST,
      platform: "linux/amd64",
      cuda: "none",
    });
  });

  it("a configured image is the base; its digest changes the key", () => {
    const own = targetOf(`${dev}image: ubuntu:22.04\n`, dir);
    expect(own.base).toBe("ubuntu:22.04");
    expect(own.key.key).not.toBe(targetOf(dev, dir).key.key);
  });

  it("an unavailable default base is refused with the way out", () => {
    expect(() => targetOf(`${dev}python: "3.9"\n`, dir)).toThrow(/Python 3.9 cannot be had offline/);
  });

  it("the plan-time error names the key, the files, dstack build -f FILE and --build", () => {
    const t = targetOf(dev, dir);
    const error = missingPrebuilt(t, "dev.dstack.yml");
    expect(error.code).toBe("build-missing");
    expect(error.message).toContain(
      `key ${t.key.key}: base dstack/base:py3.11 sha256:cdcdcdcdcdcd, linux/amd64, 1 build command`,
    );
    expect(error.message).toContain("files hashed: requirements.txt (pip install -r, build command 1)");
    expect(error.hint).toBe(
      "build it first with `dstack build -f dev.dstack.yml`, or add --build to build it and then run",
    );
  });

  it("the labels say what it was built from, and the agent accepts them", () => {
    const t = targetOf(dev, dir);
    const labels = prebuiltLabels(t, "dev.dstack.yml");
    expect(labels[LABEL_BASE]).toBe("dstack/base:py3.11");
    const parsed = parseBuildSpec({
      name: "b",
      base_image: t.base,
      commands: ["true"],
      image: t.ref,
      labels,
    });
    expect(parsed).toEqual({ spec: expect.objectContaining({ labels }) as unknown });
    expect(
      parseBuildSpec({ name: "b", base_image: "x", commands: ["true"], image: t.ref, labels: { a: 1 } }),
    ).toEqual({
      errors: ["labels: expected an object of string values"],
    });
    expect(commitConfig({ Labels: { keep: "1" } }, labels).Labels).toMatchObject({
      keep: "1",
      ...labels,
      "dstack.build": "",
    });
  });
});

describe("the run's image", () => {
  it("is the prebuilt image when there is one, and init still runs", () => {
    const spec = specOf("type: dev-environment\nbuild: [echo hi]\ninit: [cat /opt/built]\n");
    const opts = {
      runName: "dev",
      repoId: "r",
      sshAuthorizedKeys: [],
      gpus: 0,
      availableBaseImages: ["dstack/base:py3.11"],
    };
    const plain = buildJobSpec(spec, opts);
    const prebuilt = buildJobSpec(spec, {
      ...opts,
      prebuiltImage: { ref: "127.0.0.1:5000/dstack-prebuilt/dev:0123" },
    });
    expect("job" in plain && plain.job.image).toBe("dstack/base:py3.11");
    expect("job" in prebuilt && prebuilt.job.image).toBe("127.0.0.1:5000/dstack-prebuilt/dev:0123");
    expect("job" in prebuilt && prebuilt.job.init).toEqual(["cat /opt/built"]);
    expect("job" in prebuilt && prebuilt.job.registry_auth).toBeUndefined();
  });

  it("a cloud registry's image is pulled with that registry's credentials, not the base image's", () => {
    const spec = specOf("type: dev-environment\nbuild: [echo hi]\n");
    const withAuth = { ...spec, registry_auth: { username: "base-user", password: new Secret("base-pass") } };
    const job = buildJobSpec(withAuth, {
      runName: "dev",
      repoId: "r",
      sshAuthorizedKeys: [],
      gpus: 0,
      availableBaseImages: ["dstack/base:py3.11"],
      prebuiltImage: {
        ref: "123456789012.dkr.ecr.us-east-1.amazonaws.com/dstack/main/prebuilt:0123",
        auth: { username: "AWS", password: "token" },
      },
    });
    expect("job" in job && job.job.registry_auth).toEqual({ username: "AWS", password: "token" });
  });
});
