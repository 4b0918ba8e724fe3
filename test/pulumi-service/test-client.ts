// For the fixture's own tests: a server on port 0 over a temporary folder, and raw HTTP calls to it with
// either kind of credentials, optionally gzipped as the Pulumi client sends large bodies.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { startPulumiService, type PulumiService, type PulumiServiceOptions } from "./server.js";
import { afterAll, beforeAll } from "vitest";
import { DEFAULT_USERS } from "./users.js";

export const ALICE = { name: "alice", token: "tok-alice", orgs: ["acme"] };
export const BOB = { name: "bob", token: "tok-bob", orgs: [] };

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), "dstack-pulumi-service-"));
}

export async function startTestService(
  dataDir: string,
  options: Partial<PulumiServiceOptions> = {},
): Promise<PulumiService> {
  return startPulumiService({ dataDir, users: [ALICE, BOB, ...DEFAULT_USERS], ...options });
}

/**
 * One service for a whole test file, on a temporary data folder removed afterwards: `started` gets it
 * (to keep it, and to seed stacks). Returns the data folder.
 */
export function serviceForFile(
  started: (service: PulumiService) => void | Promise<void>,
  options: Partial<PulumiServiceOptions> = {},
): string {
  const dataDir = tempDataDir();
  let service: PulumiService | undefined;
  beforeAll(async () => {
    service = await startTestService(dataDir, options);
    await started(service);
  });
  afterAll(async () => {
    await service?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return dataDir;
}

export interface CallOptions {
  token?: string;
  updateToken?: string;
  body?: unknown;
  gzip?: boolean;
}

export interface CallResult<T> {
  status: number;
  /** The JSON answer, typed as the caller expects it (undefined for an empty body). */
  body: T;
}

export async function call<T = Record<string, unknown>>(
  service: PulumiService,
  method: string,
  path: string,
  { token = ALICE.token, updateToken, body, gzip = false }: CallOptions = {},
): Promise<CallResult<T>> {
  // A fresh connection per call: tests restart servers on the same port, and a pooled socket to the old
  // one would fail the first call to the new one.
  const headers: Record<string, string> = { "content-type": "application/json", connection: "close" };
  if (updateToken !== undefined) headers.authorization = `update-token ${updateToken}`;
  else if (token !== "") headers.authorization = `token ${token}`;
  let payload: Buffer | undefined;
  if (body !== undefined) {
    payload = Buffer.from(JSON.stringify(body));
    if (gzip) {
      payload = gzipSync(payload);
      headers["content-encoding"] = "gzip";
    }
  }
  const res = await fetch(`${service.url}${path}`, { method, headers, body: payload });
  const text = await res.text();
  return { status: res.status, body: (text === "" ? undefined : JSON.parse(text)) as T };
}

/** Creates org/project/stack as alice (a member of "alice" and "acme"). */
export async function createStack(
  service: PulumiService,
  org: string,
  project: string,
  stack: string,
): Promise<void> {
  const r = await call(service, "POST", `/api/stacks/${org}/${project}`, { body: { stackName: stack } });
  if (r.status !== 200)
    throw new Error(`create ${org}/${project}/${stack}: ${r.status} ${JSON.stringify(r.body)}`);
}

/** Creates and starts an update of `kind`; returns its id, lease token and version. */
export async function startUpdate(
  service: PulumiService,
  stackPath: string,
  kind = "update",
): Promise<{ id: string; token: string; version: number }> {
  const created = await call<{ updateID: string }>(service, "POST", `${stackPath}/${kind}`, {
    body: { config: {}, metadata: {} },
  });
  if (created.status !== 200)
    throw new Error(`create ${kind}: ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.updateID;
  const started = await call<{ token: string; version: number }>(
    service,
    "POST",
    `${stackPath}/${kind}/${id}`,
    { body: {} },
  );
  if (started.status !== 200)
    throw new Error(`start ${kind}: ${started.status} ${JSON.stringify(started.body)}`);
  return { id, token: started.body.token, version: started.body.version };
}

/** A v3 deployment holding `n` custom resources (content the engine would write, enough for counting). */
export function deploymentWith(n: number): { version: number; deployment: unknown } {
  const resources = Array.from({ length: n }, (_, i) => ({
    urn: `urn:pulumi:dev::proj::test:index:Thing::r${i}`,
    custom: true,
    id: `id-${i}`,
    type: "test:index:Thing",
  }));
  return {
    version: 3,
    deployment: { manifest: { time: "2026-01-01T00:00:00Z", magic: "", version: "" }, resources },
  };
}
