// scripts/ensure-pulumi-service: bundles and starts the server detached on the port, prints the URL last,
// does nothing when the fixture already answers, refuses a port held by something else; and
// requirePulumiService, which tests use to find it. Each run here uses its own cache folder and a free
// port, and the server it started is stopped by the pid the script recorded.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { requirePulumiService } from "../integration/pulumi-service.js";

const script = join(import.meta.dirname, "..", "..", "scripts", "ensure-pulumi-service");
const cache = mkdtempSync(join(tmpdir(), "dstack-ensure-pulumi-service-"));
const pidFile = join(cache, "pulumi-service", "server.pid");
let started: number | undefined;

afterAll(() => {
  if (started !== undefined) process.kill(started, "SIGTERM");
  rmSync(cache, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// Asynchronous, so that a server of this process (the "something else" below) can answer the script.
function ensure(port: number): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(script, [], {
    env: {
      ...process.env,
      DSTACK_CACHE: cache,
      DSTACK_PULUMI_SERVICE_PORT: String(port),
      DSTACK_PULUMI_SERVICE_TOKENS: "carol:tok-carol",
    },
    timeout: 60_000,
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on("close", (status) => resolve({ status, stdout, stderr })));
}

describe("scripts/ensure-pulumi-service", () => {
  it("starts the server once, prints its URL last, and leaves a running one alone", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const first = await ensure(port);
    expect(first.stderr).toContain("starting the Pulumi service stand-in");
    expect(first.status).toBe(0);
    started = Number(readFileSync(pidFile, "utf8").trim());
    expect(first.stdout.trim().split("\n").pop()).toBe(url);

    const user = await fetch(`${url}/api/user`, { headers: { authorization: "token tok-carol" } });
    expect(((await user.json()) as { githubLogin: string }).githubLogin).toBe("carol");

    const second = await ensure(port);
    expect(second.status).toBe(0);
    expect(second.stderr).toContain("already answers");
    expect(second.stdout.trim()).toBe(url);

    const saved = {
      port: process.env.DSTACK_PULUMI_SERVICE_PORT,
      tokens: process.env.DSTACK_PULUMI_SERVICE_TOKENS,
    };
    try {
      process.env.DSTACK_PULUMI_SERVICE_PORT = String(port);
      process.env.DSTACK_PULUMI_SERVICE_TOKENS = "carol:tok-carol";
      await expect(requirePulumiService()).resolves.toEqual({ url, user: "carol", token: "tok-carol" });
      process.env.DSTACK_PULUMI_SERVICE_TOKENS = "dave:tok-dave";
      await expect(requirePulumiService()).rejects.toThrow(/refuses the token of user dave/);
    } finally {
      for (const [key, value] of [
        ["DSTACK_PULUMI_SERVICE_PORT", saved.port],
        ["DSTACK_PULUMI_SERVICE_TOKENS", saved.tokens],
      ] as const)
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
    }
  });

  it("refuses a port something else holds", async () => {
    const other: Server = createServer((_req, res) => res.end("not pulumi"));
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    try {
      const r = await ensure((other.address() as AddressInfo).port);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("is not the Pulumi service stand-in");
    } finally {
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });

  it("requirePulumiService says how to start the server when nothing answers", async () => {
    const saved = process.env.DSTACK_PULUMI_SERVICE_PORT;
    process.env.DSTACK_PULUMI_SERVICE_PORT = String(await freePort());
    try {
      await expect(requirePulumiService()).rejects.toThrow(/: run \.\/scripts\/ensure-pulumi-service$/);
    } finally {
      if (saved === undefined) delete process.env.DSTACK_PULUMI_SERVICE_PORT;
      else process.env.DSTACK_PULUMI_SERVICE_PORT = saved;
    }
  });
});
