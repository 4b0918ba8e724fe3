// The HTTP server: reads a request (gunzipping bodies the client compresses), checks its credentials,
// runs the route's handler and writes the JSON answer or the service's error body. Every request and its
// status go to `log`; a request no route models is answered 404 and logged as such, so a client call this
// fixture lacks shows up in the log rather than as a mystery.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { gunzipSync } from "node:zlib";
import type { AddressInfo } from "node:net";
import type { ApiRequest, ServiceState } from "./context.js";
import { badRequest, errorBody, notFound, ServiceError, unauthorized } from "./errors.js";
import { findRoute } from "./routes.js";
import { FixtureSecrets } from "./secrets.js";
import { ServiceStore } from "./store.js";
import type { ServiceUser } from "./users.js";

export interface PulumiServiceOptions {
  /** Where the state lives; created when missing, reused when it holds an earlier server's state. */
  dataDir: string;
  users: ServiceUser[];
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Longest lease in seconds (default 300, the 5 minutes the client asks for). */
  maxLeaseSeconds?: number;
  /** Unix milliseconds (default Date.now); server tests move time with it. */
  now?: () => number;
  /** One line per request (default: none). */
  log?: (line: string) => void;
}

export interface PulumiService {
  /** http://127.0.0.1:<port>, as `pulumi login` takes it. */
  url: string;
  port: number;
  state: ServiceState;
  close: () => Promise<void>;
}

const MAX_BODY_BYTES = 512 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new ServiceError(413, "Payload Too Large: request body over 512 MiB");
    chunks.push(buf);
  }
  const raw = Buffer.concat(chunks);
  const encoding = (req.headers["content-encoding"] ?? "").toLowerCase();
  if (encoding === "gzip" || encoding === "x-gzip") {
    try {
      return gunzipSync(raw);
    } catch {
      throw badRequest("the gzip-encoded body does not decompress");
    }
  }
  return raw;
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw badRequest("the body is not JSON");
  }
}

/** `token <t>` → API token; `update-token <t>` → lease token. */
function credentials(req: IncomingMessage): { kind: string; value: string } | undefined {
  const m = /^\s*(token|update-token)\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
  return m === null ? undefined : { kind: (m[1] ?? "").toLowerCase(), value: m[2] ?? "" };
}

function send(res: ServerResponse, status: number, body: unknown, head: boolean): void {
  if (body === undefined || head) {
    res.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  state: ServiceState,
  log: (l: string) => void,
): Promise<void> {
  const method = req.method ?? "GET";
  const url = new URL(req.url ?? "/", "http://localhost");
  let status = 500;
  try {
    if (method === "GET" && url.pathname === "/dstack-fixture/health") {
      // Unauthenticated: how the ensure script tells this fixture from anything else on the port.
      status = 200;
      send(res, 200, { service: "dstack-pulumi-service" }, false);
      return;
    }
    const found = findRoute(method, url.pathname);
    if (found === undefined || found === "wrongMethod") {
      log(`not modelled: ${method} ${url.pathname}`);
      throw notFound(`${method} ${url.pathname} is not modelled by the dstack Pulumi service fixture`);
    }
    const body = parseJson(await readBody(req));
    const creds = credentials(req);
    let user: ServiceUser | undefined;
    if (found.route.auth === "user") {
      user = creds?.kind === "token" ? state.users.find((u) => u.token === creds.value) : undefined;
      if (user === undefined) throw unauthorized();
    }
    if (found.route.auth === "update" && creds?.kind !== "update-token") throw unauthorized();
    const request: ApiRequest = {
      method,
      params: found.params,
      query: url.searchParams,
      body,
      user,
      updateToken: creds?.kind === "update-token" ? creds.value : undefined,
    };
    const reply = found.route.handler(request, state);
    status = reply.status;
    send(res, reply.status, reply.body, method === "HEAD");
  } catch (error) {
    const serviceError =
      error instanceof ServiceError
        ? error
        : new ServiceError(
            500,
            `Internal Server Error: ${error instanceof Error ? error.message : String(error)}`,
          );
    status = serviceError.status;
    if (status === 500)
      log(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (!res.headersSent) send(res, serviceError.status, errorBody(serviceError), method === "HEAD");
  } finally {
    log(`${method} ${url.pathname}${url.search} -> ${status}`);
  }
}

/** Starts a server on its data folder; resolves once it listens. */
export async function startPulumiService(options: PulumiServiceOptions): Promise<PulumiService> {
  const state: ServiceState = {
    store: new ServiceStore(options.dataDir),
    secrets: new FixtureSecrets(options.dataDir),
    users: options.users,
    maxLeaseSeconds: options.maxLeaseSeconds ?? 300,
    now: options.now ?? Date.now,
  };
  const log = options.log ?? (() => undefined);
  const server: Server = createServer((req, res) => {
    void handle(req, res, state, log);
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    state,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
