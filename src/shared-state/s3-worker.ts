// The network half of the records' sync bridge (sync-bridge.ts): a worker thread that makes the S3 calls
// (GET, PUT, DELETE, ListObjectsV2, signed with AWS Signature V4 in node:crypto) while the calling thread
// waits on an Atomics flag. The record store interface is synchronous, like the file store and every
// caller of it; a worker keeps it so without a process per call.
//
// `s3WorkerMain` runs in the worker from its own source text (`new Worker(text, {eval: true})`), so it
// must be self-contained: no imports, only Node built-ins through the `load` it is given (the worker's
// `require`; a parameter, since a bundler renames a free `require`) and globals (fetch). Credentials
// come from the environment the CLI was given (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// AWS_SESSION_TOKEN), or the shared credentials file's profile (AWS_PROFILE, else `default`).
import type * as Crypto from "node:crypto";
import type * as Fs from "node:fs";
import type * as Os from "node:os";
import type * as WorkerThreads from "node:worker_threads";
import type { S3Location } from "./s3-location.js";

/** One call to the worker. */
export type S3Op =
  | { op: "get"; key: string }
  | { op: "put"; key: string; body: string; ifMatch?: string; ifNoneMatch?: boolean }
  | { op: "delete"; key: string; ifMatch?: string }
  /** Every object under the prefix, with its body (in parallel, in one round trip for the caller). */
  | { op: "getAll"; prefix: string }
  /** A plain HTTP request (a Pulumi service's API): no signing. */
  | { op: "http"; method: string; url: string; headers: Record<string, string>; body?: string };

export type S3Reply =
  | { kind: "object"; body: string; etag: string }
  | { kind: "missing" }
  | { kind: "written"; etag: string }
  /** A conditional write whose condition failed (412), or a create that found the object (If-None-Match). */
  | { kind: "conflict" }
  | { kind: "deleted" }
  | { kind: "objects"; objects: { key: string; body: string; etag: string }[] }
  | { kind: "http"; status: number; body: string }
  | { kind: "error"; status: number | null; code: string; message: string };

export function s3WorkerMain(load: (id: string) => unknown): void {
  const threads = load("node:worker_threads") as typeof WorkerThreads;
  const { createHash, createHmac } = load("node:crypto") as typeof Crypto;
  const { readFileSync } = load("node:fs") as typeof Fs;
  const { homedir } = load("node:os") as typeof Os;
  const parentPort = threads.parentPort;
  const loc = (threads.workerData as { location: S3Location }).location;

  const sha256 = (data: string): string => createHash("sha256").update(data).digest("hex");
  const hmac = (key: string | Buffer, data: string): Buffer =>
    createHmac("sha256", key).update(data).digest();
  const enc = (s: string): string =>
    encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

  interface Creds {
    id: string;
    secret: string;
    token?: string;
  }
  function credentials(): Creds {
    const env = process.env;
    if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY)
      return {
        id: env.AWS_ACCESS_KEY_ID,
        secret: env.AWS_SECRET_ACCESS_KEY,
        ...(env.AWS_SESSION_TOKEN ? { token: env.AWS_SESSION_TOKEN } : {}),
      };
    const profile = env.AWS_PROFILE ?? "default";
    const file = env.AWS_SHARED_CREDENTIALS_FILE ?? `${homedir()}/.aws/credentials`;
    let section = "";
    const found: Record<string, string> = {};
    try {
      for (const raw of readFileSync(file, "utf8").split("\n")) {
        const line = raw.trim();
        const head = /^\[(.+)\]$/.exec(line);
        if (head) section = (head[1] ?? "").trim();
        else if (section === profile && line.includes("=")) {
          const at = line.indexOf("=");
          found[line.slice(0, at).trim()] = line.slice(at + 1).trim();
        }
      }
    } catch {
      // no credentials file
    }
    if (found.aws_access_key_id && found.aws_secret_access_key)
      return {
        id: found.aws_access_key_id,
        secret: found.aws_secret_access_key,
        ...(found.aws_session_token ? { token: found.aws_session_token } : {}),
      };
    throw Object.assign(
      new Error(
        `no AWS credentials for the S3 backend: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile in ${file}`,
      ),
      { code: "NoCredentials" },
    );
  }

  /** The URL of a key (or of the bucket, for listings), path-style or virtual-hosted. */
  function urlOf(key: string | null, query: Record<string, string> = {}): URL {
    const path = key === null ? "" : key.split("/").map(enc).join("/");
    const base = new URL(loc.endpoint);
    const url = loc.pathStyle
      ? new URL(`${base.origin}/${enc(loc.bucket)}/${path}`)
      : new URL(`${base.protocol}//${loc.bucket}.${base.host}/${path}`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    return url;
  }

  async function request(
    method: string,
    url: URL,
    body = "",
    extra: Record<string, string> = {},
  ): Promise<Response> {
    const creds = credentials();
    const amzDate = new Date()
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d{3}/, "");
    const day = amzDate.slice(0, 8);
    const headers: Record<string, string> = {
      host: url.host,
      "x-amz-content-sha256": sha256(body),
      "x-amz-date": amzDate,
      ...(creds.token ? { "x-amz-security-token": creds.token } : {}),
      ...extra,
    };
    const names = Object.keys(headers).sort();
    const query = [...url.searchParams.entries()]
      .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
      .map(([k, v]) => `${enc(k)}=${enc(v)}`)
      .join("&");
    const canonical = [
      method,
      url.pathname,
      query,
      names.map((n) => `${n}:${(headers[n] ?? "").trim()}\n`).join(""),
      names.join(";"),
      headers["x-amz-content-sha256"],
    ].join("\n");
    const scope = `${day}/${loc.region}/s3/aws4_request`;
    const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonical)].join("\n");
    const key = hmac(hmac(hmac(hmac(`AWS4${creds.secret}`, day), loc.region), "s3"), "aws4_request");
    const signature = createHmac("sha256", key).update(toSign).digest("hex");
    headers.authorization = `AWS4-HMAC-SHA256 Credential=${creds.id}/${scope}, SignedHeaders=${names.join(";")}, Signature=${signature}`;
    delete headers.host;
    return fetch(url, {
      method,
      headers,
      ...(body === "" ? {} : { body }),
      signal: AbortSignal.timeout(30_000),
    });
  }

  async function failure(res: Response): Promise<S3Reply> {
    const text = await res.text().catch(() => "");
    const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? `HTTP${res.status}`;
    const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? text.slice(0, 200);
    return { kind: "error", status: res.status, code, message };
  }

  const unxml = (s: string): string =>
    s
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, "&");

  async function get(key: string): Promise<S3Reply> {
    const res = await request("GET", urlOf(key));
    if (res.status === 404) {
      const reply = await failure(res);
      return reply.kind === "error" && reply.code === "NoSuchKey" ? { kind: "missing" } : reply;
    }
    if (res.status !== 200) return failure(res);
    return { kind: "object", body: await res.text(), etag: res.headers.get("etag") ?? "" };
  }

  async function list(prefix: string): Promise<string[] | S3Reply> {
    const keys: string[] = [];
    let token: string | undefined;
    for (;;) {
      const query: Record<string, string> = { "list-type": "2", prefix };
      if (token !== undefined) query["continuation-token"] = token;
      const res = await request("GET", urlOf(null, query));
      if (res.status !== 200) return failure(res);
      const text = await res.text();
      for (const m of text.matchAll(/<Key>([^<]*)<\/Key>/g)) keys.push(unxml(m[1] ?? ""));
      const next = /<NextContinuationToken>([^<]*)<\/NextContinuationToken>/.exec(text)?.[1];
      if (!/<IsTruncated>true<\/IsTruncated>/.test(text) || next === undefined) return keys;
      token = unxml(next);
    }
  }

  async function run(op: S3Op): Promise<S3Reply> {
    switch (op.op) {
      case "http": {
        const res = await fetch(op.url, {
          method: op.method,
          headers: op.headers,
          ...(op.body === undefined ? {} : { body: op.body }),
          signal: AbortSignal.timeout(30_000),
        });
        return { kind: "http", status: res.status, body: await res.text() };
      }
      case "get":
        return get(op.key);
      case "put": {
        const extra: Record<string, string> = { "content-type": "application/json" };
        if (op.ifMatch !== undefined) extra["if-match"] = op.ifMatch;
        if (op.ifNoneMatch === true) extra["if-none-match"] = "*";
        const res = await request("PUT", urlOf(op.key), op.body, extra);
        if (res.status === 412 || res.status === 409) return { kind: "conflict" };
        if (res.status !== 200) return failure(res);
        return { kind: "written", etag: res.headers.get("etag") ?? "" };
      }
      case "delete": {
        const extra: Record<string, string> = op.ifMatch === undefined ? {} : { "if-match": op.ifMatch };
        const res = await request("DELETE", urlOf(op.key), "", extra);
        if (res.status === 412) return { kind: "conflict" };
        if (res.status !== 204 && res.status !== 200 && res.status !== 404) return failure(res);
        return { kind: "deleted" };
      }
      case "getAll": {
        const keys = await list(op.prefix);
        if (!Array.isArray(keys)) return keys;
        const objects: { key: string; body: string; etag: string }[] = [];
        const replies = await Promise.all(keys.map((k) => get(k)));
        for (let i = 0; i < keys.length; i++) {
          const reply = replies[i];
          if (reply?.kind === "object")
            objects.push({ key: keys[i] ?? "", body: reply.body, etag: reply.etag });
          else if (reply?.kind === "error") return reply;
        }
        return { kind: "objects", objects };
      }
    }
  }

  parentPort?.on("message", (msg: { op: S3Op; flag: SharedArrayBuffer; port: WorkerThreads.MessagePort }) => {
    const done = (reply: S3Reply): void => {
      msg.port.postMessage(reply);
      msg.port.close();
      const flag = new Int32Array(msg.flag);
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
    };
    run(msg.op).then(done, (error: unknown) => {
      const e = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
      done({
        kind: "error",
        status: null,
        code: e.code ?? e.cause?.code ?? "NetworkError",
        message: e.cause?.message ?? e.message ?? String(error),
      });
    });
  });
}
