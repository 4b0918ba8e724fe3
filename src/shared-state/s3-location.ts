// Where records go in an S3 backend (issue 15): the bucket and prefix of the Pulumi backend URL, and the
// same connection settings Pulumi's own S3 backend reads from its query (gocloud.dev's s3blob):
// `region`, `endpoint` (host:port or URL of an S3-compatible server), `disableSSL`, `s3ForcePathStyle`.
// Records are objects `<prefix>/.dstack/<folder>/<key>.json`, beside Pulumi's `<prefix>/.pulumi/`.
import { UserError } from "../errors.js";

export interface S3Location {
  bucket: string;
  /** The key prefix records live under, ending in `/`: `team/.dstack/`. */
  prefix: string;
  region: string;
  /** e.g. https://s3.us-east-1.amazonaws.com or http://127.0.0.1:9900 */
  endpoint: string;
  /** Path-style requests (`<endpoint>/<bucket>/<key>`), as S3-compatible servers want. */
  pathStyle: boolean;
}

export function s3Location(
  url: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): S3Location {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError(
      "state-backend",
      `${url} is not a valid s3:// URL`,
      "write s3://BUCKET[/PREFIX][?region=...]",
    );
  }
  const bucket = parsed.hostname;
  if (parsed.protocol !== "s3:" || bucket === "")
    throw new UserError("state-backend", `${url} names no bucket`, "write s3://BUCKET[/PREFIX][?region=...]");
  const q = parsed.searchParams;
  const region = q.get("region") ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1";
  const custom = q.get("endpoint");
  const secure = q.get("disableSSL") !== "true";
  const endpoint =
    custom === null
      ? `https://s3.${region}.amazonaws.com`
      : /^https?:\/\//.test(custom)
        ? custom.replace(/\/+$/, "")
        : `${secure ? "https" : "http"}://${custom}`;
  const path = decodeURIComponent(parsed.pathname).replace(/^\/+|\/+$/g, "");
  return {
    bucket,
    prefix: `${path === "" ? "" : `${path}/`}.dstack/`,
    region,
    endpoint,
    pathStyle: custom !== null || q.get("s3ForcePathStyle") === "true",
  };
}
