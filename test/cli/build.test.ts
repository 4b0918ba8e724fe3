// `dstack apply` of a configuration with `build` and no prebuilt image: refused at plan time, before any
// offer or instance, naming `dstack build` and `--build`; and the flags' bad input. The registry is a
// small in-process server speaking the Registry API v2 (it holds no image), and `docker` is a shim on PATH
// that answers the two questions the plan asks (the base images present, the base's digest) and logs
// every call: anything else (a container, a pull) would fail and show in the log.
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dstackAsync, project } from "./run-cli.js";

const BASE_ID = `sha256:${"ab".repeat(32)}`;
let server: Server;
let port = 0;
const requests: string[] = [];
let shimDir: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(`${req.method ?? ""} ${req.url ?? ""}`);
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.url === "/v2/") return json(200, {});
    if (req.url?.startsWith("/v2/_catalog") === true) return json(200, { repositories: ["other/thing"] });
    return json(404, { errors: [{ code: "MANIFEST_UNKNOWN", message: "manifest unknown" }] });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  shimDir = mkdtempSync(join(tmpdir(), "dstack-docker-shim-"));
  const shim = join(shimDir, "docker");
  writeFileSync(
    shim,
    [
      "#!/bin/sh",
      'echo "$*" >> "$DOCKER_SHIM_LOG"',
      'case "$1 $2" in',
      '  "images dstack/base") echo dstack/base:py3.11 ;;',
      `  "image inspect") printf '%s\\t%s\\t%s\\t%s\\n' '[]' '${BASE_ID}' linux amd64 ;;`,
      '  *) echo "docker shim: unexpected call: $*" >&2; exit 1 ;;',
      "esac",
      "",
    ].join("\n"),
  );
  chmodSync(shim, 0o755);
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function env(home: string, log: string): Record<string, string> {
  return {
    HOME: home,
    PATH: `${shimDir}:${process.env.PATH ?? ""}`,
    DSTACK_REGISTRY_PORT: String(port),
    DOCKER_SHIM_LOG: log,
  };
}

const DEV = (build: string[]): string =>
  [
    "type: dev-environment",
    "name: dev",
    "build:",
    ...build.map((c) => `  - ${c}`),
    "init:",
    "  - cat /opt/built",
    "",
  ].join("\n");

function fresh(files: Record<string, string>) {
  const dir = project(files);
  const home = mkdtempSync(join(tmpdir(), "dstack-home-"));
  const log = join(home, "docker-calls.log");
  return { dir, home, log, env: env(home, log) };
}

describe("apply of a configuration with build, without its prebuilt image", () => {
  it("stops at plan time naming dstack build and --build, the key and the hashed files; nothing is provisioned", async () => {
    const p = fresh({
      "dev.dstack.yml": DEV(["pip install -r requirements.txt", "echo built > /opt/built"]),
      "requirements.txt": "numpy\n",
    });
    const r = await dstackAsync(["apply", "-f", "dev.dstack.yml", "-y"], { cwd: p.dir, env: p.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("dev.dstack.yml has build commands and the registry has no prebuilt image");
    expect(r.stderr).toContain("`dstack build -f dev.dstack.yml`");
    expect(r.stderr).toContain("--build");
    expect(r.stderr).toMatch(/key [0-9a-f]{16}: base dstack\/base:py3\.11 sha256:abababababab, linux\/amd64/);
    expect(r.stderr).toContain("files hashed: requirements.txt (pip install -r, build command 1)");
    expect(r.stderr).toContain("nothing was provisioned");
    // Before the offers: no offers table, no plan.
    expect(r.stderr).not.toContain("BACKEND");
    expect(r.stderr).not.toContain("create");
    // The registry was asked for the configuration's repository and key.
    expect(requests.some((q) => /^GET \/v2\/dstack-prebuilt\/dev\/manifests\/[0-9a-f]{16}$/.test(q))).toBe(
      true,
    );
    // Docker was only asked about images; no pool record, no stack.
    const calls = readFileSync(p.log, "utf8").trim().split("\n");
    expect(calls.every((c) => c.startsWith("images dstack/base") || c.startsWith("image inspect"))).toBe(
      true,
    );
    expect(calls.some((c) => c.startsWith("image inspect") && c.endsWith("dstack/base:py3.11"))).toBe(true);
    const pools = join(p.home, ".dstack", "pools");
    expect(existsSync(pools) ? readdirSync(pools) : []).toEqual([]);
    expect(existsSync(join(p.home, ".dstack", "state"))).toBe(false);
  });

  it("editing one build command, or a file it reads, changes the key", async () => {
    const keyOf = async (build: string[], requirements: string): Promise<string> => {
      const p = fresh({ "dev.dstack.yml": DEV(build), "requirements.txt": requirements });
      const r = await dstackAsync(["apply", "-f", "dev.dstack.yml", "-y"], { cwd: p.dir, env: p.env });
      expect(r.code).toBe(1);
      return /key ([0-9a-f]{16})/.exec(r.stderr)?.[1] ?? "none";
    };
    const a = await keyOf(["pip install -r requirements.txt", "echo built > /opt/built"], "numpy\n");
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(await keyOf(["pip install -r requirements.txt", "echo built > /opt/built"], "numpy\n")).toBe(a);
    expect(await keyOf(["pip install -r requirements.txt", "echo built2 > /opt/built"], "numpy\n")).not.toBe(
      a,
    );
    expect(await keyOf(["pip install -r requirements.txt", "echo built > /opt/built"], "pandas\n")).not.toBe(
      a,
    );
  });

  it("a registry that does not answer is an error saying how to start it, before anything else", async () => {
    const p = fresh({ "dev.dstack.yml": DEV(["echo built > /opt/built"]) });
    const r = await dstackAsync(["apply", "-f", "dev.dstack.yml", "-y"], {
      cwd: p.dir,
      env: { ...p.env, DSTACK_REGISTRY_PORT: "1" },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no registry answers on http://127.0.0.1:1");
    expect(r.stderr).toContain("./scripts/ensure-registry");
    expect(existsSync(join(p.home, ".dstack", "pools"))).toBe(false);
  });
});

describe("bad input", () => {
  const task = "type: task\nname: plain\ncommands: [echo hi]\n";

  it("--build and --force-build need build commands", async () => {
    const p = fresh({ "task.dstack.yml": task });
    for (const flag of ["--build", "--force-build"]) {
      const r = await dstackAsync(["apply", "-f", "task.dstack.yml", flag, "-y"], { cwd: p.dir, env: p.env });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${flag}: task.dstack.yml has no build commands`);
    }
    expect(existsSync(join(p.home, ".dstack", "pools"))).toBe(false);
  });

  it("dstack build refuses a configuration without build, a fleet, extra words and two modes", async () => {
    const p = fresh({
      "task.dstack.yml": task,
      "fleet.dstack.yml": "type: fleet\nname: gpus\nnodes: 1\nbackends: [aws]\n",
    });
    const noBuild = await dstackAsync(["build", "-f", "task.dstack.yml", "-y"], { cwd: p.dir, env: p.env });
    expect(noBuild.code).toBe(2);
    expect(noBuild.stderr).toContain("dstack build: task.dstack.yml has no build commands");
    const fleet = await dstackAsync(["build", "-f", "fleet.dstack.yml"], { cwd: p.dir, env: p.env });
    expect(fleet.code).toBe(2);
    expect(fleet.stderr).toContain("fleet.dstack.yml is a fleet");
    const extra = await dstackAsync(["build", "now"], { cwd: p.dir, env: p.env });
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain('unexpected "now"');
    const both = await dstackAsync(["build", "--list", "--delete", "x"], { cwd: p.dir, env: p.env });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--list and --delete contradict each other");
  });

  it("--build is refused for a fleet", async () => {
    const p = fresh({ "fleet.dstack.yml": "type: fleet\nname: gpus\nnodes: 1\nbackends: [aws]\n" });
    const r = await dstackAsync(["apply", "-f", "fleet.dstack.yml", "--build", "-y"], {
      cwd: p.dir,
      env: p.env,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--build is for dev environments and tasks with `build`, not a fleet");
  });

  it("--list says when there is no prebuilt image, and --delete of an unknown key fails", async () => {
    const p = fresh({});
    const list = await dstackAsync(["build", "--list"], { cwd: p.dir, env: p.env });
    expect(list.code).toBe(0);
    expect(list.stdout).toContain("No prebuilt images yet");
    const json = await dstackAsync(["build", "--list", "--json"], { cwd: p.dir, env: p.env });
    expect(JSON.parse(json.stdout)).toEqual({ images: [] });
    const del = await dstackAsync(["build", "--delete", "0123456789abcdef", "-y"], {
      cwd: p.dir,
      env: p.env,
    });
    expect(del.code).toBe(1);
    expect(del.stderr).toContain("no prebuilt image 0123456789abcdef");
  });
});
