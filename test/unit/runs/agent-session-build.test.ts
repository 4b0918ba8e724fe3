// The CLI's side of image builds: AgentSession's build calls against the agent's real HTTP API (with a fake
// Docker daemon behind it), reached through a stand-in for the SSH client whose forwarded channel is a plain
// TCP connection to that API.
import { EventEmitter } from "node:events";
import { createServer, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "ssh2";
import { afterEach, describe, expect, it } from "vitest";
import { UserError } from "../../../src/errors.js";
import { AgentSession } from "../../../src/runs/agent-session.js";
import { Agent } from "../../../src/runtime-agent/agent.js";
import { Docker } from "../../../src/runtime-agent/docker.js";
import { createApiServer } from "../../../src/runtime-agent/http-api.js";
import { until } from "../../until.js";
import { agentConfig } from "../runtime-agent/helpers.js";
import { BASE, buildDaemon, IMAGE } from "../runtime-agent/fake-build-daemon.js";
import { fakeDocker, type FakeDocker } from "../runtime-agent/fake-docker.js";

const closers: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  return (server.address() as AddressInfo).port;
}

/** An AgentSession whose "SSH channels" are TCP connections to 127.0.0.1:port. */
function sessionTo(port: number): AgentSession {
  const client = Object.assign(new EventEmitter(), {
    forwardOut(_sh: string, _sp: number, _dh: string, _dp: number, cb: (err?: Error, s?: unknown) => void) {
      const socket = connect(port, "127.0.0.1", () => cb(undefined, socket));
      socket.once("error", (error) => cb(error));
    },
    end() {},
  });
  const Session = AgentSession as unknown as new (c: Client) => AgentSession;
  return new Session(client as unknown as Client);
}

async function agentSession(): Promise<{ session: AgentSession; fake: FakeDocker }> {
  const fake = await fakeDocker(buildDaemon({ output: "built\n" }));
  closers.push(() => fake.close());
  const dataDir = mkdtempSync(join(tmpdir(), "dstack-session-build-"));
  closers.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const ctx = {
    config: agentConfig({ data_dir: dataDir }),
    docker: new Docker(fake.socket),
    state: { version: 1 as const, runs: {} },
    now: Date.now,
  };
  const port = await listen(createApiServer(new Agent(ctx), Date.now()));
  return { session: sessionTo(port), fake };
}

describe("AgentSession builds", () => {
  it("submits a build, uploads its repo, follows its status and its log", async () => {
    const { session, fake } = await agentSession();
    const spec = {
      name: "env-abc",
      base_image: BASE,
      commands: ["pip install -r requirements.txt"],
      env: {},
      image: IMAGE,
      workdir: "/workflow",
      repo_upload: true,
    };
    expect(await session.build(spec)).toMatchObject({ name: "env-abc", status: "pending", image: IMAGE });
    const repo = mkdtempSync(join(tmpdir(), "dstack-session-repo-"));
    closers.push(() => rmSync(repo, { recursive: true, force: true }));
    mkdirSync(join(repo, "src"));
    writeFileSync(join(repo, "requirements.txt"), "numpy\n");
    const archive = execFileSync("tar", ["-cz", "-C", repo, "."]);
    expect(await session.uploadBuildRepo("env-abc", archive)).toMatchObject({ repo_uploaded: true });
    const view = await until(
      "the build to succeed",
      async () =>
        (await session.buildStatus("env-abc"))?.status === "succeeded"
          ? session.buildStatus("env-abc")
          : undefined,
      5000,
      { intervalMs: 20 },
    );
    expect(view).toMatchObject({ digest: "sha256:d1", size: 250_000_000, exit_code: 0 });
    expect(fake.requests.some((r) => r.url.startsWith("/commit"))).toBe(true);
    const first = await session.buildLogs("env-abc", 0);
    expect(first.text).toMatch(/^built\ndstack: pushing /);
    expect(await session.buildLogs("env-abc", first.next_offset)).toEqual({
      text: "",
      next_offset: first.next_offset,
    });
    expect(await session.buildStatus("nope")).toBeUndefined();
  });

  it("says what the agent refused: an invalid spec, a second upload", async () => {
    const { session } = await agentSession();
    const bad = {
      name: "x",
      base_image: BASE,
      commands: [],
      env: {},
      image: "x:1",
      workdir: "/w",
      repo_upload: false,
    };
    await expect(session.build(bad)).rejects.toThrow(
      /^the instance agent refused POST \/api\/builds \(422\): commands: expected at least one command; image: /,
    );
    await expect(session.uploadBuildRepo("nope", Buffer.alloc(0))).rejects.toThrow(
      /\(404\): no build named nope/,
    );
  });

  it("tells an agent older than builds (404 for the endpoint) apart from a refusal", async () => {
    const old = createServer((req, res) => {
      req.resume();
      res.writeHead(404, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ code: "not_found", error: `no endpoint ${req.method} ${req.url}` }));
    });
    const session = sessionTo(await listen(old));
    const spec = {
      name: "x",
      base_image: BASE,
      commands: ["true"],
      env: {},
      image: IMAGE,
      workdir: "/w",
      repo_upload: false,
    };
    const error = await session.build(spec).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(error).toMatchObject({
      code: "agent-too-old",
      message: "the instance's agent cannot build images (it predates agent API 1.1)",
    });
  });
});
