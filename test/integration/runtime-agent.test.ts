// The runtime agent against the real Docker engine: the bundle runs on this host as it would on an
// instance, and its runs share the network namespace of a helper container (as on the local backend,
// where they share the instance container's). The agent reads that namespace's /proc/<pid>/net/tcp{,6};
// the helper publishes the first sshd port (10022) on 127.0.0.1, so ssh2 reaches the run's sshd.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "ssh2";
import { AGENT_API_VERSION } from "../../src/runtime-agent/version.js";
import { generateKeyPair } from "../../src/ssh/keys.js";
import { until } from "../until.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const IMAGE = "dstack/base:py3.11";
const INSTANCE_IMAGE = "dstack/local-instance:latest";
const ID = `it${process.pid}`;
const INSTANCE = `dstack-${ID}`;
const HELPER = `${INSTANCE}-netns`;
const VOLUME = `${INSTANCE}-data`;

const key = generateKeyPair();
let dir: string;
let bundleDir: string; // built here, not in dist/, which other builds may wipe meanwhile
let config: string;
let agent: ChildProcess | undefined;
let agentLog = "";
let base = "";
let sshPort = 0;

function docker(...args: string[]): string {
  return execFileSync("docker", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

function requireDocker(): void {
  try {
    docker("info", "--format", "{{.ServerVersion}}");
  } catch {
    throw new Error("the Docker engine does not answer: run ./scripts/ensure-docker");
  }
  for (const image of [IMAGE, INSTANCE_IMAGE]) {
    try {
      docker("image", "inspect", "--format", "{{.Id}}", image);
    } catch {
      throw new Error(`image ${image} is missing: run ./scripts/build-instance-image`);
    }
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
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
  ).catch((error: unknown) => {
    throw new Error(`the agent did not come up: ${(error as Error).message}\n${agentLog}`);
  });
}

async function api(method: string, path: string, body?: unknown, version = "1.0") {
  const res = await fetch(base + path, {
    method,
    headers: { "X-Dstack-Api-Version": version },
    ...(body === undefined ? {} : { body: Buffer.isBuffer(body) ? body : JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const run = async (name: string) => (await api("GET", `/api/runs/${name}`)).json;

function spec(name: string, over: Record<string, unknown>) {
  return {
    spec_version: 1,
    name,
    kind: "dev-environment",
    image: IMAGE,
    repo_id: "repo-42",
    ssh_authorized_keys: [key.public],
    ...over,
  };
}

/** Runs a command over SSH in the run's container and keeps the session open for holdMs afterwards. */
function ssh(command: string, holdMs: number, whileOpen: () => Promise<void>): Promise<string> {
  return new Promise((resolve, reject) => {
    const conn = new Client();
    conn.on("error", reject);
    conn.on("ready", () => {
      conn.exec(command, (err, stream) => {
        if (err) return reject(err);
        let out = "";
        stream.on("data", (c: Buffer) => (out += c.toString()));
        stream.stderr.on("data", (c: Buffer) => (out += c.toString()));
        stream.on("close", () => {
          setTimeout(() => {
            whileOpen().then(
              () => (conn.end(), resolve(out)),
              (e: unknown) => (conn.end(), reject(e instanceof Error ? e : new Error(String(e)))),
            );
          }, holdMs);
        });
      });
    });
    conn.connect({ host: "127.0.0.1", port: sshPort, username: "root", privateKey: key.private });
  });
}

beforeAll(async () => {
  requireDocker();
  dir = mkdtempSync(join(tmpdir(), "dstack-agent-it-"));
  bundleDir = join(dir, "agent");
  execFileSync(process.execPath, ["scripts/build-agent.mjs", bundleDir], { stdio: "ignore" });
  docker(
    "run",
    "-d",
    "--name",
    HELPER,
    "--label",
    `dstack.instance=${INSTANCE}`,
    "-p",
    "127.0.0.1::10022",
    IMAGE,
    "sleep",
    "infinity",
  );
  const pid = docker("inspect", "--format", "{{.State.Pid}}", HELPER);
  sshPort = Number(docker("port", HELPER, "10022/tcp").split("\n")[0]?.split(":").pop());
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  config = join(dir, "agent.json");
  writeFileSync(
    config,
    JSON.stringify({
      api_version: "1.0",
      listen_port: port,
      data_dir: join(dir, "data"),
      instance_name: INSTANCE,
      network_mode: `container:${HELPER}`,
      proc_net_dir: `/proc/${pid}/net`,
      poll_interval_ms: 300,
      min_connection_age_ms: 1000,
    }),
  );
  await startAgent();
}, 60_000);

afterAll(() => {
  agent?.kill("SIGKILL");
  const ids = docker("ps", "-aq", "--filter", `label=dstack.instance=${INSTANCE}`)
    .split("\n")
    .filter(Boolean);
  if (ids.length) docker("rm", "-f", ...ids);
  docker("volume", "rm", "-f", VOLUME);
  rmSync(dir, { recursive: true, force: true });
});

describe("runtime agent with the real Docker engine", () => {
  it("refuses API version 2.0 with 426, naming both versions", async () => {
    const r = await api("GET", "/api/health", undefined, "2.0");
    expect(r.status).toBe(426);
    expect(r.json).toMatchObject({ client_version: "2.0", agent_version: AGENT_API_VERSION });
  });

  it("dev environment: repo uploaded before start, ssh lands in /workflow, inactivity stops it", async () => {
    const repo = join(dir, "repo");
    mkdirSync(repo);
    writeFileSync(join(repo, "hello.txt"), "uncommitted change\n");
    const env = { GREETING: "secret-greeting-value" };
    const volumes = [{ kind: "network", name: VOLUME, path: "/data" }];
    const created = await api(
      "POST",
      "/api/runs",
      spec("dev", { repo_upload: true, env, volumes, init: ["touch /tmp/init-ran"] }),
    );
    expect(created).toMatchObject({ status: 201, json: { status: "pending", ssh_port: 10022 } });
    // The image is ready: only the repo holds the start back.
    await until(
      "the agent to wait for the repo",
      () => (agentLog.includes("run dev: image ready, waiting for the repo upload") ? true : undefined),
      15_000,
      { intervalMs: 100 },
    );
    expect(await run("dev")).toMatchObject({ status: "pending", container_id: null });
    const tar = execFileSync("tar", ["-c", "-C", repo, "."]);
    expect((await api("PUT", "/api/runs/dev/repo", tar)).status).toBe(200);
    await expect
      .poll(() => run("dev"), { timeout: 15_000 })
      .toMatchObject({ status: "running", ssh_ready: true });
    const containerId = (await run("dev")).container_id;

    const cmd =
      "pwd && cat hello.txt && test -f /tmp/init-ran && echo $DSTACK_RUN_NAME $DSTACK_REPO_ID $DSTACK_GPUS_NUM $GREETING && touch /data/kept && ls /data";
    const out = await ssh(cmd, 1800, async () => {
      expect((await run("dev")).inactive_seconds).toBe(0); // a connection alive > 1 s counts
    });
    expect(out).toBe("/workflow\nuncommitted change\ndev repo-42 0 secret-greeting-value\nkept\n");
    const disconnected = Date.now();

    const patched = await api("PATCH", "/api/runs/dev", { inactivity_duration: 2 });
    expect(patched.json).toMatchObject({
      status: "running",
      inactivity_duration: 2,
      container_id: containerId,
    });
    await expect
      .poll(() => run("dev"), { timeout: 10_000 })
      .toMatchObject({ status: "stopped", stop_reason: "inactivity" });
    // inactivity counts from the last tick that saw the connection: at most one poll before the disconnect
    expect(Date.now() - disconnected).toBeGreaterThanOrEqual(2000 - 300);
    // The run is stopped as soon as the agent decides it; its container exits once `docker stop` is done.
    await until(
      "the stopped run's container to exit",
      () =>
        docker("inspect", "--format", "{{.State.Status}}", String(containerId)) === "exited"
          ? true
          : undefined,
      20_000,
      { intervalMs: 100 },
    );
    expect(agentLog).not.toContain("secret-greeting-value");
  }, 40_000);

  it("a task exits with its exit code and its logs are available, from an offset", async () => {
    const commands = ["echo to-stdout", "echo to-stderr >&2", "exit 7"];
    expect((await api("POST", "/api/runs", spec("task", { kind: "task", commands }))).status).toBe(201);
    await expect
      .poll(() => run("task"), { timeout: 15_000 })
      .toMatchObject({ status: "failed", exit_code: 7, stop_reason: "error" });
    const all = (await api("GET", "/api/runs/task/logs?since=0")).json as {
      text: string;
      next_offset: number;
    };
    // Both streams are in the log; Docker keeps each stream's order, not the order across streams: the
    // script's own lines and to-stderr are on stderr (in that order), to-stdout may land anywhere before
    // the exit line (which comes after the commands ended).
    const lines = all.text.split("\n");
    const stderr = lines.filter((l) => l !== "to-stdout");
    expect(stderr[0]).toMatch(/^dstack: sshd listening on port 1002\d$/);
    expect(stderr.slice(1)).toEqual(["to-stderr", "dstack: commands exited with code 7", ""]);
    expect(lines.indexOf("to-stdout")).toBeGreaterThanOrEqual(0);
    expect(lines.indexOf("to-stdout")).toBeLessThan(lines.indexOf("dstack: commands exited with code 7"));
    expect(all.next_offset).toBe(Buffer.byteLength(all.text));
    const more = (await api("GET", `/api/runs/task/logs?since=${all.next_offset}`)).json;
    expect(more).toEqual({ text: "", next_offset: all.next_offset });
  }, 30_000);

  it("after SIGKILL and a restart, the agent re-adopts a running run and keeps enforcing its limits", async () => {
    expect((await api("POST", "/api/runs", spec("keep", { max_duration: 6 }))).status).toBe(201);
    await expect.poll(() => run("keep"), { timeout: 15_000 }).toMatchObject({ status: "running" });
    const before = await run("keep");
    const pid = agent?.pid ?? 0;
    expect(Number(execFileSync("ps", ["-o", "rss=", "-p", String(pid)], { encoding: "utf8" }))).toBeLessThan(
      120_000,
    );
    agent?.kill("SIGKILL");
    await new Promise((r) => agent?.once("exit", r));
    await startAgent();
    expect(await run("keep")).toMatchObject({ status: "running", container_id: before.container_id });
    expect(agentLog).toContain(`run keep: re-adopted container ${String(before.container_id).slice(0, 12)}`);
    await expect
      .poll(() => run("keep"), { timeout: 15_000 })
      .toMatchObject({ status: "stopped", stop_reason: "max_duration" });
  }, 40_000);

  it("a missing image that cannot be pulled fails with image_pull_failed and leaves no container", async () => {
    expect((await api("POST", "/api/runs", spec("nope", { image: "dstack-it/missing:nope" }))).status).toBe(
      201,
    );
    await expect
      .poll(() => run("nope"), { timeout: 30_000 })
      .toMatchObject({ status: "failed", stop_reason: "image_pull_failed" });
    expect((await run("nope")).message).toMatch(/^cannot pull dstack-it\/missing:nope: .+/);
    expect(
      docker(
        "ps",
        "-aq",
        "--filter",
        `label=dstack.run=nope`,
        "--filter",
        `label=dstack.instance=${INSTANCE}`,
      ),
    ).toBe("");
  }, 40_000);

  it("runs on the instance image's Node 18 and talks to Docker through the mounted socket", () => {
    const cfg = JSON.stringify({ instance_name: INSTANCE, listen_port: 8765, data_dir: "/tmp/agent" });
    const probe = [
      `echo '${cfg}' > /tmp/agent.json`,
      "node /opt/dstack/dstack-agent.js /tmp/agent.json 2>/tmp/agent.log &",
      "sleep 1",
      `node -e 'fetch("http://127.0.0.1:8765/api/health",{headers:{"X-Dstack-Api-Version":"1.0"}}).then(r=>r.json()).then(j=>console.log(process.version, j.api_version))'`,
      "cat /tmp/agent.log",
    ].join("\n");
    const out = docker(
      "run",
      "--rm",
      "--label",
      `dstack.instance=${INSTANCE}`,
      "-v",
      `${bundleDir}:/opt/dstack:ro`,
      "-v",
      "/var/run/docker.sock:/var/run/docker.sock",
      "--entrypoint",
      "sh",
      INSTANCE_IMAGE,
      "-c",
      probe,
    );
    // Node 18, and the API version this agent speaks.
    expect(out.split("\n")[0]).toMatch(/^v18\.\d+\.\d+ /);
    expect(out.split("\n")[0]?.split(" ")[1]).toBe(AGENT_API_VERSION);
    expect(out).toMatch(/labelled for this instance but not in the state file/); // it listed containers via the socket
  }, 30_000);
});
