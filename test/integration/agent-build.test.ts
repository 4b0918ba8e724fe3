// Image builds by the runtime agent against the real Docker engine and a real OCI registry (Debian's
// docker-registry): the bundle runs on this host as on an instance, builds from dstack/base, commits and
// pushes; the pushed image is pulled back and run. A failing build pushes nothing and leaves nothing.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AGENT_API_VERSION } from "../../src/runtime-agent/version.js";
import { until } from "../until.js";
import {
  containersWithLabel,
  docker,
  removeContainersWithLabel,
  requireDockerImages,
  tryDocker,
} from "./docker.js";

const BASE = "dstack/base:py3.11";
const ID = `bt${process.pid}`;
const INSTANCE = `dstack-${ID}`;
const REPO = `dstack-it/${ID}`;
const SECRET = "secret-build-value-4821";

let dir: string;
let bundleDir: string;
let config: string;
let agent: ChildProcess | undefined;
let agentLog = "";
let base = "";
let registry = ""; // host:port
let registryProcess: ChildProcess | undefined;
let registryLog = "";

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The project's registry when scripts/ensure-registry exists, else Debian's docker-registry on a free port. */
async function startRegistry(): Promise<void> {
  if (existsSync("scripts/ensure-registry")) {
    execFileSync("./scripts/ensure-registry", { stdio: ["ignore", "ignore", "inherit"] });
    registry = `127.0.0.1:${process.env.DSTACK_REGISTRY_PORT ?? "5000"}`;
  } else {
    if (!commandExists("docker-registry")) {
      throw new Error("docker-registry is missing: run apt-get install -y docker-registry");
    }
    const port = await freePort();
    registry = `127.0.0.1:${port}`;
    const file = join(dir, "registry.yml");
    writeFileSync(
      file,
      [
        "version: 0.1",
        "storage:",
        "  filesystem:",
        `    rootdirectory: ${join(dir, "registry")}`,
        "  delete:",
        "    enabled: true",
        "http:",
        `  addr: ${registry}`,
        "",
      ].join("\n"),
    );
    const child = spawn("docker-registry", ["serve", file], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout?.on("data", (c: Buffer) => (registryLog += c.toString()));
    child.stderr?.on("data", (c: Buffer) => (registryLog += c.toString()));
    registryProcess = child;
  }
  await until(
    `the registry on ${registry} to answer /v2/`,
    async () => {
      if (registryProcess?.exitCode != null) throw new Error(`docker-registry exited:\n${registryLog}`);
      return (await fetch(`http://${registry}/v2/`).catch(() => undefined))?.status === 200
        ? true
        : undefined;
    },
    30_000,
    { intervalMs: 100 },
  );
}

function commandExists(name: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

async function startAgent(): Promise<void> {
  const child = spawn(process.execPath, [join(bundleDir, "dstack-agent.js"), config], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  child.stderr?.on("data", (c: Buffer) => (agentLog += c.toString()));
  agent = child;
  await until(
    "the agent to answer /api/health",
    async () => {
      if (child.exitCode !== null) throw new Error(`the agent exited (${child.exitCode}):\n${agentLog}`);
      return (await api("GET", "/api/health").catch(() => ({ status: 0 }))).status === 200 ? true : undefined;
    },
    30_000,
    { intervalMs: 100 },
  );
}

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: { "X-Dstack-Api-Version": AGENT_API_VERSION },
    ...(body === undefined ? {} : { body: Buffer.isBuffer(body) ? body : JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const build = async (name: string) => (await api("GET", `/api/builds/${name}`)).json;

/** Waits for the build to end (succeeded or failed) and returns its view. */
function ended(name: string): Promise<Record<string, unknown>> {
  return until(
    `build ${name} to end`,
    async () => {
      const view = await build(name);
      return view.status === "succeeded" || view.status === "failed" ? view : undefined;
    },
    120_000,
    { intervalMs: 200 },
  );
}

/** GET /v2/<repo>/manifests/<tag>: the status and the digest the registry gives it. */
async function manifest(tag: string): Promise<{ status: number; digest: string | null }> {
  const res = await fetch(`http://${registry}/v2/${REPO}/manifests/${tag}`, {
    headers: { Accept: "application/vnd.docker.distribution.manifest.v2+json" },
  });
  await res.arrayBuffer();
  return { status: res.status, digest: res.headers.get("docker-content-digest") };
}

const buildContainers = (name: string): string[] =>
  containersWithLabel(`dstack.instance=${INSTANCE}`).filter(
    (id) => docker(["inspect", "--format", '{{index .Config.Labels "dstack.build"}}', id]) === name,
  );

beforeAll(async () => {
  requireDockerImages(BASE);
  dir = mkdtempSync(join(tmpdir(), "dstack-agent-build-it-"));
  bundleDir = join(dir, "agent");
  execFileSync(process.execPath, ["scripts/build-agent.mjs", bundleDir], { stdio: "ignore" });
  await startRegistry();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  config = join(dir, "agent.json");
  writeFileSync(
    config,
    JSON.stringify({
      listen_port: port,
      data_dir: join(dir, "data"),
      instance_name: INSTANCE,
      network_mode: "none", // the builds here need no network
      poll_interval_ms: 300,
    }),
  );
  await startAgent();
}, 120_000);

afterAll(() => {
  agent?.kill("SIGKILL");
  removeContainersWithLabel(`dstack.instance=${INSTANCE}`);
  const images = docker(["images", "-q", "--filter", `reference=${registry}/${REPO}`]).split("\n");
  if (images.some(Boolean)) tryDocker(["rmi", "-f", ...new Set(images.filter(Boolean))]);
  registryProcess?.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
});

describe("image builds by the runtime agent", () => {
  it("builds from dstack/base, pushes to the registry, and the image runs like the base with the build's files", async () => {
    const image = `${registry}/${REPO}:ok`;
    const created = await api("POST", "/api/builds", {
      name: "ok",
      base_image: BASE,
      repo_upload: true,
      env: { GREETING: SECRET },
      commands: [
        "echo built > /opt/marker",
        `python3 -c "import os; print('greeting of', len(os.environ['GREETING']), 'chars')"`,
        "cp requirements.txt /opt/requirements.txt # the repo is the workdir",
        "echo to-stderr >&2",
      ],
      image,
    });
    expect(created).toMatchObject({ status: 201, json: { name: "ok", status: "pending", image } });
    await until(
      "the build to wait for its repo",
      () => (agentLog.includes("build ok: image ready, waiting for the repo upload") ? true : undefined),
      15_000,
      { intervalMs: 100 },
    );
    const repo = join(dir, "repo");
    mkdirSync(repo);
    writeFileSync(join(repo, "requirements.txt"), "numpy==2.1\n");
    const tar = execFileSync("tar", ["-c", "-C", repo, "."]);
    expect((await api("PUT", "/api/builds/ok/repo", tar)).status).toBe(200);

    const view = await ended("ok");
    expect(view).toMatchObject({ status: "succeeded", exit_code: 0, message: null, container_id: null });
    expect(view.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(view.size).toBeGreaterThan(100_000_000); // the base's ~240 MB and the build's files
    expect(await manifest("ok")).toEqual({ status: 200, digest: view.digest });
    expect(buildContainers("ok")).toEqual([]);

    const logs = (await api("GET", "/api/builds/ok/logs?since=0")).json as {
      text: string;
      next_offset: number;
    };
    expect(logs.text).toBe(
      `greeting of ${SECRET.length} chars\nto-stderr\ndstack: pushing ${image}\ndstack: pushed ${image}@${String(view.digest)}\n`,
    );
    expect((await api("GET", `/api/builds/ok/logs?since=${logs.next_offset}`)).json).toEqual({
      text: "",
      next_offset: logs.next_offset,
    });

    // From the registry, not the local copy: a container of the pushed image has the build's files and
    // starts as the base does (its default command, bash, reads the script on stdin).
    docker(["rmi", image]);
    docker(["pull", image]);
    expect(docker(["run", "--rm", image, "cat", "/opt/marker", "/opt/requirements.txt"])).toBe(
      "built\nnumpy==2.1",
    );
    expect(docker(["run", "--rm", "-i", image], { input: "echo default-command $0 $(pwd)\n" })).toBe(
      "default-command /bin/bash /",
    );
    const [built, from] = [image, BASE].map(
      (i) =>
        JSON.parse(docker(["image", "inspect", "--format", "{{json .Config}}", i])) as Record<
          string,
          unknown
        >,
    );
    expect(built).toMatchObject({ Cmd: from?.Cmd, Env: from?.Env });
    expect(built?.WorkingDir ?? "").toBe(from?.WorkingDir ?? "");
    expect(built?.Entrypoint ?? null).toBeNull();
    // Container labels are blanked in the image: its containers are no instance's.
    expect(built?.Labels).toMatchObject({ "dstack.instance": "", "dstack.build": "" });
    // The build env is a secret: not in the image (config, container_config), the agent's log or its state.
    expect(docker(["image", "inspect", image])).not.toContain(SECRET);
    expect(agentLog).not.toContain(SECRET);
    expect(readFileSync(join(dir, "data", "state.json"), "utf8")).not.toContain(SECRET);
    expect(existsSync(join(dir, "data", "builds", "ok", "build.sh"))).toBe(false);
  }, 180_000);

  it("a failing command fails the build with its exit code and log tail; nothing is committed, pushed or left", async () => {
    const image = `${registry}/${REPO}:fail`;
    const lines = Array.from({ length: 40 }, (_, i) => `line ${i}`);
    const created = await api("POST", "/api/builds", {
      name: "fail",
      base_image: BASE,
      commands: ['for i in $(seq 0 39); do echo "line $i"; done', "echo before-exit", "exit 7", "echo never"],
      image,
    });
    expect(created.status).toBe(201);
    const view = await ended("fail");
    expect(view).toMatchObject({
      status: "failed",
      exit_code: 7,
      message: "a build command exited with code 7",
      digest: null,
      container_id: null,
    });
    expect(view.log_tail).toBe([...lines.slice(-29), "before-exit"].join("\n"));
    expect(await manifest("fail")).toEqual({ status: 404, digest: null });
    expect(tryDocker(["image", "inspect", image]).code).not.toBe(0);
    expect(buildContainers("fail")).toEqual([]);
    const logs = (await api("GET", "/api/builds/fail/logs?since=0")).json as { text: string };
    expect(logs.text).toMatch(/before-exit\ndstack: build failed: a build command exited with code 7\n$/);
    expect(logs.text).not.toContain("never");
  }, 120_000);

  it("a build the agent was running when it died is failed at its restart, and its container removed", async () => {
    const created = await api("POST", "/api/builds", {
      name: "cut",
      base_image: BASE,
      commands: ["sleep 600"],
      image: `${registry}/${REPO}:cut`,
    });
    expect(created.status).toBe(201);
    await until(
      "the build container to run",
      async () => ((await build("cut")).container_id ? true : undefined),
      30_000,
      { intervalMs: 100 },
    );
    expect(buildContainers("cut")).toHaveLength(1);
    // Busy: the idle clock is held while the build runs.
    expect((await api("GET", "/api/instance")).json).toMatchObject({ idle_since: null });
    agent?.kill("SIGKILL");
    await new Promise((r) => agent?.once("exit", r));
    await startAgent();
    expect(await build("cut")).toMatchObject({
      status: "failed",
      message: "the agent restarted during the build; build again",
    });
    expect(buildContainers("cut")).toEqual([]);
    expect((await api("GET", "/api/instance")).json.idle_since).not.toBeNull();
  }, 120_000);
});
