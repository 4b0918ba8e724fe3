// HTTP to the Docker Engine API over its unix socket (unversioned paths: the daemon's current API).
import { request } from "node:http";

export interface DockerResponse {
  status: number;
  body: Buffer;
}

export class DockerError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function dockerRequest(
  socketPath: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<DockerResponse> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        socketPath,
        method,
        path,
        headers: { ...headers, ...(payload ? { "Content-Type": "application/json" } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/** The daemon's own words for a failed request ({"message": ...}), else the raw text. */
export function daemonMessage(res: DockerResponse): string {
  const text = res.body.toString("utf8");
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === "string") return parsed.message;
  } catch {
    // not JSON
  }
  return text.trim() || `HTTP ${res.status}`;
}

/** Resolves the parsed JSON body of a 2xx answer; otherwise rejects with the daemon's message. */
export async function dockerJson<T>(
  socketPath: string,
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<T> {
  const res = await dockerRequest(socketPath, method, path, body, headers);
  if (res.status < 200 || res.status >= 300) throw new DockerError(res.status, daemonMessage(res));
  return (res.body.length ? JSON.parse(res.body.toString("utf8")) : {}) as T;
}
