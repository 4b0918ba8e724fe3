// An in-process HTTP server on a unix socket that records requests and answers from a route table:
// for request-shape tests of the Docker client only (the behaviour is tested against the real daemon).
import { createServer, type IncomingMessage, type Server } from "node:http";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export type Answer = { status: number; body?: string | Buffer | object };

export interface FakeDocker {
  socket: string;
  requests: Recorded[];
  close(): Promise<void>;
}

export async function fakeDocker(route: (r: Recorded) => Answer): Promise<FakeDocker> {
  const socket = join(mkdtempSync(join(tmpdir(), "fake-docker-")), "docker.sock");
  const requests: Recorded[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const rec = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      requests.push(rec);
      const a = route(rec);
      const body =
        a.body === undefined
          ? ""
          : Buffer.isBuffer(a.body) || typeof a.body === "string"
            ? a.body
            : JSON.stringify(a.body);
      res.writeHead(a.status).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return { socket, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
