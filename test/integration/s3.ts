// The real S3-compatible server `scripts/ensure-s3` runs on 127.0.0.1 (MinIO), and a few S3 calls to it
// signed with AWS Signature V4 in plain node:crypto (no SDK, no `aws`/`mc` CLI). A server that does not
// answer is a failure that says how to start it, never a skip.
import { createHash, createHmac } from "node:crypto";

export interface S3Server {
  /** e.g. http://127.0.0.1:9900 */
  endpoint: string;
  /** host:port, as the S3 backend URL's `endpoint` parameter and the signed Host header want it. */
  host: string;
  accessKey: string;
  secretKey: string;
  region: string;
}

/** Where `scripts/ensure-s3` serves, with the same environment variables and defaults. */
export function s3Server(env = process.env): S3Server {
  const port = env.DSTACK_S3_PORT || "9900";
  return {
    endpoint: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    accessKey: env.DSTACK_S3_ACCESS_KEY || "dstack-local",
    secretKey: env.DSTACK_S3_SECRET_KEY || "dstack-local-secret",
    region: "us-east-1",
  };
}

/** The server, once its readiness endpoint and an authenticated call both answer; else a clear error. */
export async function requireS3(): Promise<S3Server> {
  const server = s3Server();
  const ready = await fetch(`${server.endpoint}/minio/health/ready`, { signal: AbortSignal.timeout(5_000) })
    .then((r) => r.ok)
    .catch(() => false);
  if (!ready) throw new Error(`no S3 server answers on ${server.endpoint}: run ./scripts/ensure-s3`);
  const list = await s3Request(server, "GET", "/");
  if (list.status !== 200)
    throw new Error(
      `the S3 server on ${server.endpoint} refuses the credentials from DSTACK_S3_ACCESS_KEY/DSTACK_S3_SECRET_KEY ` +
        `(HTTP ${list.status}); it was started with others: restart it with ./scripts/ensure-s3 after stopping it`,
    );
  return server;
}

const sha256 = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string): Buffer => createHmac("sha256", key).update(data).digest();
// RFC 3986 encoding as SigV4 wants it (encodeURIComponent leaves !'()* alone).
const enc = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export interface S3Response {
  status: number;
  body: Buffer;
}

/** One SigV4-signed path-style request; `path` is `/` or `/<bucket>[/<key>]`, unencoded. */
export async function s3Request(
  server: S3Server,
  method: "GET" | "PUT" | "DELETE",
  path: string,
  query: Record<string, string> = {},
  body: Buffer = Buffer.alloc(0),
): Promise<S3Response> {
  const amzDate = new Date()
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, ""); // 20260101T000000Z
  const day = amzDate.slice(0, 8);
  const canonicalUri = path.split("/").map(enc).join("/");
  const canonicalQuery = Object.keys(query)
    .sort()
    .map((k) => `${enc(k)}=${enc(query[k] ?? "")}`)
    .join("&");
  const payloadHash = sha256(body);
  const headers: Record<string, string> = {
    host: server.host,
    "x-amz-content-sha256": payloadHash,
    "x-amz-date": amzDate,
  };
  const signed = Object.keys(headers).sort();
  const canonicalRequest = [
    method,
    canonicalUri,
    canonicalQuery,
    ...signed.map((h) => `${h}:${headers[h]}`),
    "",
    signed.join(";"),
    payloadHash,
  ].join("\n");
  const scope = `${day}/${server.region}/s3/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonicalRequest)].join("\n");
  const key = hmac(hmac(hmac(hmac(`AWS4${server.secretKey}`, day), server.region), "s3"), "aws4_request");
  const signature = createHmac("sha256", key).update(toSign).digest("hex");
  const res = await fetch(`${server.endpoint}${canonicalUri}${canonicalQuery ? `?${canonicalQuery}` : ""}`, {
    method,
    // fetch sets Host itself, to the same value as signed.
    headers: {
      "x-amz-content-sha256": payloadHash,
      "x-amz-date": amzDate,
      authorization: `AWS4-HMAC-SHA256 Credential=${server.accessKey}/${scope}, SignedHeaders=${signed.join(";")}, Signature=${signature}`,
    },
    body: method === "PUT" ? body : undefined,
    signal: AbortSignal.timeout(15_000),
  });
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}

async function expectOk(
  what: string,
  res: Promise<S3Response>,
  ok: number[] = [200, 204],
): Promise<S3Response> {
  const r = await res;
  if (!ok.includes(r.status)) throw new Error(`S3 ${what}: HTTP ${r.status}: ${r.body.toString("utf8")}`);
  return r;
}

export async function createBucket(server: S3Server, bucket: string): Promise<void> {
  await expectOk(`create bucket ${bucket}`, s3Request(server, "PUT", `/${bucket}`));
}

/** Every key in the bucket (ListObjectsV2, following continuation tokens). */
export async function listKeys(server: S3Server, bucket: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const query: Record<string, string> = { "list-type": "2" };
    if (token !== undefined) query["continuation-token"] = token;
    const xml = (
      await expectOk(`list ${bucket}`, s3Request(server, "GET", `/${bucket}`, query))
    ).body.toString("utf8");
    for (const m of xml.matchAll(/<Key>([^<]*)<\/Key>/g)) keys.push(unescapeXml(m[1] ?? ""));
    token = /<IsTruncated>true<\/IsTruncated>/.test(xml)
      ? unescapeXml(/<NextContinuationToken>([^<]*)</.exec(xml)?.[1] ?? "")
      : undefined;
  } while (token !== undefined);
  return keys;
}

export async function getObject(server: S3Server, bucket: string, key: string): Promise<Buffer> {
  return (await expectOk(`get ${bucket}/${key}`, s3Request(server, "GET", `/${bucket}/${key}`))).body;
}

/** Delete every object, then the bucket. */
export async function removeBucket(server: S3Server, bucket: string): Promise<void> {
  for (const key of await listKeys(server, bucket))
    await expectOk(`delete ${bucket}/${key}`, s3Request(server, "DELETE", `/${bucket}/${key}`));
  await expectOk(`delete bucket ${bucket}`, s3Request(server, "DELETE", `/${bucket}`));
}

function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}
