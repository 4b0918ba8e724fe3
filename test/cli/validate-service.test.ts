// `dstack validate` and `dstack schema` on services: every service key reaches --json, the summary names
// the port and the replica groups, and a missing port is reported as the missing key it is.
import { describe, expect, it } from "vitest";
import { dstack, project } from "./run-cli.js";

const SERVICE = `type: service
name: pd
port: 8000
model: Qwen/Qwen3-8B
gateway: team/gw
https: auto
strip_prefix: false
rate_limits: [{prefix: /v1/, rps: 4, burst: 9}]
probes: [{type: http, url: /health, interval: 30s}]
replicas:
  - count: 1
    image: lmsysorg/sglang
    commands: [router]
    router: {type: sglang}
  - name: decode
    count: 1..4
    scaling: {metric: rps, target: 2}
    python: "3.12"
    commands: [decode]
    resources: {gpu: H100:2}
`;

describe("dstack validate on services", () => {
  it("--json carries every service key", () => {
    const r = dstack(["validate", "--json"], { cwd: project({ ".dstack.yml": SERVICE }) });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      type: "service",
      port: 8000,
      model: { type: "chat", name: "Qwen/Qwen3-8B", format: "openai", prefix: "/v1" },
      gateway: { project: "team", name: "gw" },
      https: "auto",
      auth: true,
      strip_prefix: false,
      replicas: null,
      scaling: null,
      groups: [
        { name: "0", replicas: { min: 1, max: 1 }, router: { type: "sglang" }, image: "lmsysorg/sglang" },
        { name: "decode", replicas: { min: 1, max: 4 }, scaling: { target: 2, window: 60 }, python: "3.12" },
      ],
      rate_limits: [{ prefix: "/v1/", key: { type: "ip_address" }, rps: 4, burst: 9 }],
      probes: [{ type: "http", url: "/health", method: "get", interval: 30, timeout: 10 }],
    });
  });

  it("the summary names the port, the model and each replica group", () => {
    const r = dstack(["validate"], { cwd: project({ ".dstack.yml": SERVICE }) });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("port:       8000, model Qwen/Qwen3-8B (openai)");
    expect(r.stdout).toMatch(/group 0: +1 x .*router sglang/);
    expect(r.stdout).toMatch(/group decode: 1\.\.4 x .*2xH100.*scaling at 2 rps/);
    expect(r.stdout).toContain("probes:     GET /health");
  });

  it("a missing port is one missing-key error with an example", () => {
    const r = dstack(["validate"], { cwd: project({ ".dstack.yml": "type: service\ncommands: [serve]\n" }) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('.dstack.yml:1:1: error: missing required key "port"\n  hint: add port: 8000');
    expect(r.stderr).toContain(".dstack.yml: 1 error");
    expect(r.stderr).not.toContain("Invalid input");
  });
});

describe("dstack schema on services", () => {
  it("describes every service key", () => {
    const schema = JSON.parse(dstack(["schema"]).stdout) as {
      oneOf: { properties: Record<string, unknown>; required?: string[] }[];
    };
    const service = schema.oneOf[2]!;
    for (const key of ["port", "gateway", "strip_prefix", "model", "https", "auth", "replicas", "groups"])
      expect(service.properties).toHaveProperty(key);
    for (const key of ["scaling", "rate_limits", "probes"]) expect(service.properties).toHaveProperty(key);
    expect(service.required).toEqual(["type", "port"]);
  });
});
