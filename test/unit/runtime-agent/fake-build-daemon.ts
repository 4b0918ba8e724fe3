// A fake Docker daemon's answers for image builds (see builder.test.ts): the base image, a build container
// "c1" that exits with a chosen code and output, commit, and a push that succeeds or fails.
import type { Answer, Recorded } from "./fake-docker.js";

export const BASE = "dstack/base:py3.11";
export const IMAGE = "127.0.0.1:5000/dstack/env:abc";
export const BASE_CONFIG = { Cmd: ["/bin/bash"], Env: ["PATH=/usr/bin", "LANG=C.UTF-8"], Labels: { v: "1" } };

/** Docker's multiplexed log frame (stdout). */
export function frame(text: string): Buffer {
  const head = Buffer.alloc(8);
  head[0] = 1;
  head.writeUInt32BE(Buffer.byteLength(text), 4);
  return Buffer.concat([head, Buffer.from(text)]);
}

export interface BuildDaemon {
  baseExists?: boolean;
  pullFails?: boolean;
  exitCode?: number;
  output?: string;
  pushError?: string;
  /** Called when the build container is waited on, i.e. while the commands run. */
  onWait?: () => void;
}

export function buildDaemon(d: BuildDaemon): (r: Recorded) => Answer {
  let baseExists = d.baseExists ?? true;
  return (r) => {
    const at = `${r.method} ${r.url}`;
    if (at === `GET /images/${BASE}/json`)
      return baseExists ? { status: 200, body: { Config: BASE_CONFIG } } : { status: 404 };
    if (at.startsWith("POST /images/create")) {
      if (d.pullFails) return { status: 200, body: '{"status":"Pulling"}\n{"error":"manifest unknown"}\n' };
      baseExists = true;
      return { status: 200, body: '{"status":"Pulled"}\n' };
    }
    if (at.startsWith("DELETE /containers/")) return { status: 204 };
    if (at.startsWith("POST /containers/create")) return { status: 201, body: { Id: "c1" } };
    if (at === "POST /containers/c1/start") return { status: 204 };
    if (at === "POST /containers/c1/wait") {
      d.onWait?.();
      return { status: 200, body: { StatusCode: d.exitCode ?? 0 } };
    }
    if (at.startsWith("GET /containers/c1/logs")) return { status: 200, body: frame(d.output ?? "built\n") };
    if (at.startsWith("POST /commit")) return { status: 201, body: { Id: "sha256:img" } };
    if (at.startsWith("POST /images/127.0.0.1:5000/dstack/env/push")) {
      const end = d.pushError
        ? `{"errorDetail":{"message":"${d.pushError}"},"error":"${d.pushError}"}`
        : '{"progress":"","aux":{"Tag":"abc","Digest":"sha256:d1","Size":527}}';
      return {
        status: 200,
        body: `{"status":"The push refers to repository [127.0.0.1:5000/dstack/env]"}\n${end}\n`,
      };
    }
    if (at === `GET /images/${IMAGE}/json`) return { status: 200, body: { Size: 250_000_000 } };
    if (at === `DELETE /images/${IMAGE}`) return { status: 200, body: [] };
    return { status: 500, body: { message: `unexpected ${at}` } };
  };
}
