import { describe, expect, it } from "vitest";
import { parseEnvEntry } from "../../../src/compiler/grammar/env.js";
import { parsePort } from "../../../src/compiler/grammar/ports.js";
import { parseVolumeMount } from "../../../src/compiler/grammar/volumes.js";

describe("ports", () => {
  it.each([
    [8080, { local: 8080, container: 8080 }],
    ["8080", { local: 8080, container: 8080 }],
    ["80:8080", { local: 80, container: 8080 }],
    ["*:8080", { local: null, container: 8080 }],
  ])("%j", (raw, mapping) => {
    expect(parsePort(raw)).toEqual({ ok: true, value: mapping });
  });
  it.each([["abc"], [0], [70000], ["80:"], ["80:90:100"], ["*:*"], [true]])("rejects %j", (raw) => {
    expect(parsePort(raw).ok).toBe(false);
  });
});

describe("volumes", () => {
  it.each([
    ["my-volume:/volume_data", { kind: "network", name: ["my-volume"], path: "/volume_data" }],
    ["my-volume:/data/", { kind: "network", name: ["my-volume"], path: "/data" }],
    ["my-volume://data//x/../y", { kind: "network", name: ["my-volume"], path: "/data/y" }],
    ["/mnt/cache:/cache", { kind: "instance", instance_path: "/mnt/cache", path: "/cache", optional: false }],
    [
      "/mnt//cache/:/cache",
      { kind: "instance", instance_path: "/mnt/cache/", path: "/cache", optional: false },
    ],
    [
      { name: ["vol-a", "vol-b"], path: "/data" },
      { kind: "network", name: ["vol-a", "vol-b"], path: "/data" },
    ],
    [
      { name: "vol-a", path: "/data" },
      { kind: "network", name: ["vol-a"], path: "/data" },
    ],
    [
      { instance_path: "/root/.cache", path: "/root/.cache", optional: true },
      { kind: "instance", instance_path: "/root/.cache", path: "/root/.cache", optional: true },
    ],
  ])("%j", (raw, mount) => {
    expect(parseVolumeMount(raw)).toEqual({ ok: true, value: mount });
  });
  it.each([
    ["my-volume", /no ":"/],
    ["my-volume:data", /not absolute/],
    ["My_Volume:/data", /not a volume name/],
    [{ name: "v1", instance_path: "/x", path: "/y" }, /not both/],
    [{ instance_path: "relative", path: "/y" }, /absolute path on the instance/],
    [{ name: [], path: "/y" }, /empty list/],
    [{ path: "/y" }, /needs name/],
    [{ name: "vol", path: "/y", size: 1 }, /unknown key "size"/],
    [42, /expected/],
  ])("rejects %j", (raw, message) => {
    const parsed = parseVolumeMount(raw);
    expect(!parsed.ok && parsed.message).toMatch(message);
  });
});

describe("env entries", () => {
  it.each([
    ["HF_HUB_ENABLE_HF_TRANSFER=1", 0, { name: "HF_HUB_ENABLE_HF_TRANSFER", value: "1" }],
    ["HF_TOKEN", 0, { name: "HF_TOKEN", value: null }],
    ["A=b=c", 0, { name: "A", value: "b=c" }],
    ["EMPTY=", 0, { name: "EMPTY", value: "" }],
    [1, "NUM", { name: "NUM", value: "1" }],
    [true, "FLAG", { name: "FLAG", value: "true" }],
    [null, "TOKEN", { name: "TOKEN", value: null }],
  ])("%j at %j", (raw, key, decl) => {
    expect(parseEnvEntry(raw, key)).toMatchObject({ ok: true, value: decl });
  });
  it.each([
    ["1BAD=2", 0],
    ["BAD-NAME", 0],
    [{ a: 1 }, "X"],
    [1, "BAD NAME"],
  ])("rejects %j at %j", (raw, key) => {
    expect(parseEnvEntry(raw, key).ok).toBe(false);
  });
});
