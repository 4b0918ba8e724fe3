// Real service configurations from dstack's documentation and repository (test/fixtures/services, each
// naming its source on the first line) compile without errors, to the values dstack's models give them
// (dstack `core/models/configurations.py`, `services.py`, and the probe defaults of
// `server/services/jobs/configurators/base.py`).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { compile } from "../../../src/compiler/compile.js";
import { renderConfig } from "../../../src/compiler/render.js";
import { Secret } from "../../../src/compiler/secret.js";
import type { ProbeSpec } from "../../../src/compiler/spec-service.js";

const DIR = join(import.meta.dirname, "../../fixtures/services");
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith(".yml"))
  .sort();
/** The variables the examples declare without a value, as a user would pass them. */
const ENV = { cli: [], process: { HF_TOKEN: "hf", PROBES_API_KEY: "key", NGC_API_KEY: "ngc" } };

/** The spec as plain data with secrets revealed: a rendered file holds them as plain values. */
function revealed(value: unknown): unknown {
  if (value instanceof Secret) return value.reveal();
  if (Array.isArray(value)) return value.map(revealed);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revealed(v)]));
  return value;
}

const compileFixture = (file: string) =>
  compile({ file, text: readFileSync(join(DIR, file), "utf8"), env: ENV });

/** dstack's probe for an OpenAI-format model when no probes are written. */
const chatProbe = (model: string): ProbeSpec => ({
  type: "http",
  url: "/v1/chat/completions",
  method: "post",
  headers: [{ name: "Content-Type", value: "application/json" }],
  body: `{"model": "${model}", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 1}`,
  timeout: 30,
  interval: 15,
  ready_after: 1,
  until_ready: false,
});
const health: ProbeSpec = {
  type: "http",
  url: "/health",
  method: "get",
  headers: [],
  body: null,
  timeout: 10,
  interval: 15,
  ready_after: 1,
  until_ready: false,
};
const openai = (name: string) => ({ type: "chat", name, format: "openai", prefix: "/v1" });
const one = { min: 1, max: 1 };
const rps = (target: number) => ({
  metric: "rps",
  target,
  window: 60,
  scale_up_delay: 300,
  scale_down_delay: 600,
});
const plain = { gateway: null, https: null, auth: true, strip_prefix: true, rate_limits: [], groups: null };

const EXPECTED: Record<string, Record<string, unknown>> = {
  "01-qwen36-sglang-nvidia.yml": {
    ...plain,
    port: 30000,
    model: openai("Qwen/Qwen3.6-27B"),
    replicas: one,
    scaling: null,
    probes: [chatProbe("Qwen/Qwen3.6-27B")],
    volumes: [{ kind: "instance", instance_path: "/root/.cache", path: "/root/.cache", optional: true }],
    resources: { shm_size: 16, gpu: { name: ["H100"], count: { min: 4, max: 4 } } },
  },
  "02-qwen36-sglang-amd.yml": {
    port: 30000,
    resources: {
      cpu: { count: { min: 52, max: null } },
      memory: { min: 896, max: null },
      disk: { size: { min: 450, max: null } },
    },
  },
  "03-replicas-and-scaling.yml": { replicas: { min: 1, max: 2 }, scaling: rps(1), groups: null },
  "04-replica-groups.yml": {
    image: "lmsysorg/sglang:v0.5.10.post1",
    commands: [],
    replicas: null,
    scaling: null,
    groups: [
      {
        name: "0",
        replicas: { min: 1, max: 2 },
        scaling: rps(10),
        resources: { gpu: { memory: { min: 48, max: 48 } } },
      },
      {
        name: "1",
        replicas: { min: 1, max: 4 },
        scaling: rps(5),
        resources: { gpu: { memory: { min: 24, max: 24 } } },
      },
    ],
    probes: [chatProbe("deepseek-ai/DeepSeek-R1-Distill-Llama-8B")],
  },
  "05-pd-smg.yml": {
    groups: [
      {
        name: "0",
        replicas: one,
        scaling: null,
        router: { type: "sglang" },
        resources: { cpu: { count: { min: 4, max: 4 } }, gpu: null },
      },
      {
        name: "1",
        replicas: { min: 1, max: 4 },
        scaling: rps(3),
        router: null,
        resources: { gpu: { name: ["H200"] } },
      },
      { name: "2", replicas: { min: 1, max: 8 }, scaling: rps(2), router: null },
    ],
    probes: [health],
  },
  "06-pd-dynamo.yml": {
    image: null,
    groups: [
      { name: "0", docker: true, privileged: null, router: { type: "dynamo" }, replicas: one },
      { name: "1", python: "3.12", nvcc: true, docker: null, scaling: rps(3) },
      { name: "2", python: "3.12", nvcc: true, scaling: rps(2) },
    ],
    probes: [health],
  },
  "07-pd-amd.yml": {
    privileged: true,
    port: 30000,
    groups: [
      { router: { type: "sglang" }, resources: { cpu: { count: { min: 4, max: null } } } },
      {
        replicas: { min: 1, max: 2 },
        scaling: rps(300),
        resources: { gpu: { name: ["MI300X"], count: { min: 8, max: 8 } } },
      },
      { replicas: { min: 1, max: 4 }, scaling: rps(300), resources: { memory: { min: 512, max: null } } },
    ],
    probes: [health],
  },
  "08-authorization.yml": { auth: false, python: "3.12", port: 8000, model: null, probes: [] },
  "09-probes.yml": { image: "my-app:latest", commands: [], port: 80, probes: [health] },
  "10-probes-http-request.yml": {
    probes: [
      {
        type: "http",
        url: "/check-health",
        method: "post",
        // Interpolated by dstack when the probe runs, so kept as written.
        headers: [
          { name: "X-API-Key", value: "${{ env.PROBES_API_KEY }}" },
          { name: "Content-Type", value: "application/json" },
        ],
        body: '{"level": 2}',
        timeout: 20,
        interval: 15,
        ready_after: 1,
        until_ready: false,
      },
    ],
  },
  "11-path-prefix.yml": { gateway: false, auth: false, strip_prefix: false, port: 8050 },
  "12-rate-limits.yml": {
    rate_limits: [
      { prefix: "/api/auth/", key: { type: "ip_address" }, rps: 1, burst: 0 },
      { prefix: "/", key: { type: "ip_address" }, rps: 4, burst: 9 },
    ],
  },
  "13-rate-limits-header-key.yml": {
    rate_limits: [{ prefix: "/", key: { type: "header", header: "Authorization" }, rps: 4, burst: 9 }],
  },
  "14-resources.yml": {
    resources: {
      cpu: { count: { min: 16, max: null } },
      gpu: { memory: { min: 80, max: 80 }, count: { min: 2, max: 2 } },
      disk: { size: { min: 200, max: 200 } },
    },
  },
  "15-default-image.yml": { image: null, python: "3.12", nvcc: false },
  "16-nvcc.yml": { python: "3.12", nvcc: true },
  "17-custom-image.yml": { image: "python", python: null },
  "18-private-registry.yml": {
    image: "nvcr.io/nim/deepseek-ai/deepseek-r1-distill-llama-8b",
    commands: [],
    registry_auth: { username: "$oauthtoken" },
    model: openai("deepseek-ai/deepseek-r1-distill-llama-8b"),
  },
  "19-environment-variables.yml": {
    // HF_TOKEN comes from outside the file: a secret, redacted in JSON.
    env: { HF_TOKEN: "***", MODEL: "NousResearch/Llama-2-7b-chat-hf" },
    python: "3.12",
  },
  "20-retry-policy.yml": {
    image: "my-app:latest",
    commands: [],
    // The events are a set; the spec lists them in one order.
    retry: { on_events: ["no-capacity", "interruption", "error"], duration: 3600 },
  },
  "21-vllm.yml": { port: 8000, model: openai("Qwen/Qwen3.6-27B"), probes: [chatProbe("Qwen/Qwen3.6-27B")] },
  "22-vllm-pd-grpc.yml": {
    model: null,
    probes: [],
    groups: [
      { python: "3.12", image: null, router: { type: "sglang" } },
      { image: "ghcr.io/lightseekorg/smg:1.4.1-vllm-v0.18.0", python: null, scaling: rps(3) },
      { image: "ghcr.io/lightseekorg/smg:1.4.1-vllm-v0.18.0", scaling: rps(2) },
    ],
  },
  "23-nim.yml": {
    commands: [],
    model: openai("nvidia/nemotron-3-super-120b-a12b"),
    resources: {
      cpu: { arch: "x86", count: { min: 96, max: null } },
      gpu: { name: ["H100"], memory: { min: 80, max: 80 }, count: { min: 8, max: 8 } },
    },
  },
  "24-trtllm.yml": {
    model: openai("nvidia/Qwen3-235B-A22B-FP8"),
    resources: { shm_size: 32, disk: { size: { min: 1000, max: null } } },
  },
  "25-tpu-vllm.yml": {
    image: null,
    model: openai("meta-llama/Meta-Llama-3.1-8B-Instruct"),
    resources: { gpu: { vendor: "google" } },
  },
  "26-tpu-tgi-model.yml": {
    model: {
      type: "chat",
      name: "meta-llama/Meta-Llama-3.1-8B-Instruct",
      format: "tgi",
      chat_template: null,
      eos_token: null,
    },
    // dstack adds its default probe only for OpenAI-format models.
    probes: [],
  },
  "27-deepseek-v4.yml": {
    port: 30000,
    resources: {
      gpu: { name: ["B200"], count: { min: 8, max: 8 } },
      disk: { size: { min: 2048, max: null } },
    },
  },
  "28-http-server.yml": { python: "3.11", auth: false, port: 8000 },
  "29-streamlit.yml": { image: "python:3.11", auth: false, port: 8501 },
  "30-gpt-oss-amd.yml": {
    model: openai("openai/gpt-oss-120b"),
    volumes: [
      {
        kind: "instance",
        instance_path: "/root/.cache/huggingface",
        path: "/root/.cache/huggingface",
        optional: false,
      },
    ],
    resources: { shm_size: 32, gpu: { name: ["MI300X"], count: { min: 8, max: 8 } } },
  },
};

describe("real service configurations from dstack's docs and examples", () => {
  it("has at least 15, each with expected values", () => {
    expect(FILES.length).toBeGreaterThanOrEqual(15);
    expect(Object.keys(EXPECTED).sort()).toEqual(FILES);
  });

  it.each(FILES)("%s compiles to dstack's values", (file) => {
    expect(readFileSync(join(DIR, file), "utf8")).toMatch(/^# dstack (docs|repo): \S+/);
    const result = compileFixture(file);
    expect(result.diagnostics).toEqual([]);
    expect(JSON.parse(JSON.stringify(result.spec))).toMatchObject({ type: "service", ...EXPECTED[file] });
  });

  it.each(FILES)("%s renders to a configuration that compiles to the same spec", (file) => {
    const spec = compileFixture(file).spec!;
    const again = compile({ file, text: YAML.stringify(renderConfig(spec)) });
    expect(again.diagnostics).toEqual([]);
    expect(revealed(again.spec)).toEqual(revealed(spec));
  });
});
