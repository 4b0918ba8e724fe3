// The HTTP layer: version negotiation on every endpoint, JSON errors, validation, routing. The Docker side
// is a fake that knows no image, so a submitted run fails at the pull (its behaviour is integration-tested).
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Agent } from "../../../src/runtime-agent/agent.js";
import { Docker } from "../../../src/runtime-agent/docker.js";
import { createApiServer } from "../../../src/runtime-agent/http-api.js";
import { agentConfig } from "./helpers.js";
import { fakeDocker, type FakeDocker } from "./fake-docker.js";

let server: Server;
let fake: FakeDocker;
let base: string;
let dataDir: string;

beforeAll(async () => {
  fake = await fakeDocker((r) =>
    r.url.startsWith("/images/create")
      ? { status: 404, body: { message: "pull access denied for nope, repository does not exist" } }
      : { status: 404, body: { message: "No such image: nope:1" } },
  );
  dataDir = mkdtempSync(join(tmpdir(), "dstack-agent-api-"));
  const config = agentConfig({ data_dir: dataDir });
  const agent = new Agent({
    config,
    docker: new Docker(fake.socket),
    state: { version: 1, runs: {} },
    now: Date.now,
  });
  server = createApiServer(agent, Date.now());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await fake.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(method: string, path: string, body?: unknown, version: string | null = "1.0") {
  const res = await fetch(base + path, {
    method,
    headers: version ? { "X-Dstack-Api-Version": version } : {},
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: res.status,
    json: (await res.json()) as Record<string, unknown>,
    version: res.headers.get("x-dstack-api-version"),
  };
}

describe("agent HTTP API", () => {
  it("answers health with its version", async () => {
    const r = await call("GET", "/api/health", undefined, "1.4");
    expect(r).toMatchObject({
      status: 200,
      version: "1.2",
      json: { api_version: "1.2", instance_name: "inst-1", runs: 0 },
    });
  });

  it("refuses a newer major with 426 and a missing header with 400, on every endpoint", async () => {
    for (const path of ["/api/health", "/api/runs", "/api/runs/x/logs"]) {
      const newer = await call("GET", path, undefined, "2.0");
      expect(newer.status).toBe(426);
      expect(newer.json).toMatchObject({ client_version: "2.0", agent_version: "1.2" });
      expect((await call("GET", path, undefined, null)).status).toBe(400);
    }
  });

  it("validates a submitted spec and lists every problem", async () => {
    const r = await call("POST", "/api/runs", { spec_version: 1, name: "x" });
    expect(r.status).toBe(422);
    expect(r.json.error).toBe(
      "kind: expected dev-environment | task, got undefined; image: expected a string, got undefined",
    );
  });

  it("404 for unknown runs and endpoints, 405 for a wrong method, 400 for bad JSON", async () => {
    expect((await call("GET", "/api/runs/nope")).json).toMatchObject({ code: "run_not_found" });
    expect((await call("GET", "/api/other")).status).toBe(404);
    expect((await call("DELETE", "/api/runs")).status).toBe(405);
    const res = await fetch(`${base}/api/runs`, {
      method: "POST",
      headers: { "X-Dstack-Api-Version": "1.0" },
      body: "{",
    });
    expect(res.status).toBe(400);
  });

  it("a run whose image is missing and cannot be pulled fails with image_pull_failed and the daemon's words", async () => {
    const spec = { spec_version: 1, name: "r1", kind: "task", image: "nope:1", commands: ["true"] };
    const created = await call("POST", "/api/runs", spec);
    expect(created).toMatchObject({ status: 201, json: { name: "r1", status: "pending", ssh_port: 10022 } });
    await expect
      .poll(async () => (await call("GET", "/api/runs/r1")).json, { timeout: 2000 })
      .toMatchObject({
        status: "failed",
        stop_reason: "image_pull_failed",
        message: expect.stringMatching(/pull access denied/) as unknown,
      });
    expect(fake.requests.some((r) => r.url.startsWith("/containers/create"))).toBe(false);
    expect((await call("GET", "/api/runs")).json).toHaveLength(1);
  });

  it("PATCH updates limits in place and validates them", async () => {
    expect((await call("PATCH", "/api/runs/r1", { inactivity_duration: 30 })).json).toMatchObject({
      inactivity_duration: 30,
    });
    expect((await call("PATCH", "/api/runs/r1", { inactivity_duration: "1h" })).status).toBe(422);
  });

  it("refuses a repo upload once the run has ended", async () => {
    const r = await fetch(`${base}/api/runs/r1/repo`, {
      method: "PUT",
      headers: { "X-Dstack-Api-Version": "1.0" },
      body: "",
    });
    expect(r.status).toBe(409);
  });

  it("/api/builds: validates (422, every problem), 404 for an unknown build, a missing base fails the build", async () => {
    const bad = await call("POST", "/api/builds", { name: "b1", base_image: "nope:1", image: "nope:2" });
    expect(bad).toMatchObject({ status: 422, json: { code: "invalid_spec" } });
    expect(bad.json.error).toBe(
      "commands: expected at least one command; " +
        'image: "nope:2" must be <registry>/<repository>:<tag>, e.g. 127.0.0.1:5000/dstack/env:abc',
    );
    expect((await call("GET", "/api/builds/b1")).json).toMatchObject({ code: "build_not_found" });
    const spec = { name: "b1", base_image: "nope:1", commands: ["true"], image: "127.0.0.1:5000/x/y:z" };
    expect(await call("POST", "/api/builds", spec)).toMatchObject({
      status: 201,
      json: { name: "b1", status: "pending", image: "127.0.0.1:5000/x/y:z" },
    });
    await expect
      .poll(async () => (await call("GET", "/api/builds/b1")).json, { timeout: 2000 })
      .toMatchObject({
        status: "failed",
        message: expect.stringMatching(/^cannot pull nope:1: pull access denied/) as unknown,
      });
    expect((await call("GET", "/api/builds")).json).toHaveLength(1);
    expect((await call("GET", "/api/builds/b1/logs?since=0")).json).toEqual({ text: "", next_offset: 0 });
    const upload = await fetch(`${base}/api/builds/b1/repo`, {
      method: "PUT",
      headers: { "X-Dstack-Api-Version": "1.1" },
      body: "",
    });
    expect(upload.status).toBe(409);
    expect((await call("DELETE", "/api/builds/b1")).status).toBe(405);
  });

  it("/api/instance: GET the idle backstop, PUT claims (restarts the clock, may set idle_duration)", async () => {
    const before = (await call("GET", "/api/instance")).json;
    expect(before).toMatchObject({ idle_duration_s: null, stops_at: null });
    const put = await call("PUT", "/api/instance", { idle_duration_s: 60 });
    expect(put.status).toBe(200);
    expect(put.json.idle_duration_s).toBe(60);
    expect((await call("PUT", "/api/instance", { idle_duration_s: -1 })).status).toBe(422);
    expect((await call("PUT", "/api/instance", { idle_duration_s: null })).json.stops_at).toBeNull();
    expect((await call("DELETE", "/api/instance")).status).toBe(405);
  });
});
