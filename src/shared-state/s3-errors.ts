// What an S3 failure means to the user, with what to do: a missing bucket, refused credentials, an
// endpoint that does not answer. Nothing was written when one of these is thrown.
import { UserError } from "../errors.js";
import type { S3Location } from "./s3-location.js";
import type { S3Reply } from "./s3-worker.js";

export function s3Error(
  location: S3Location,
  reply: Extract<S3Reply, { kind: "error" }>,
  doing: string,
): UserError {
  const where = `s3://${location.bucket} (${location.endpoint})`;
  switch (reply.code) {
    case "NoSuchBucket":
      return new UserError(
        "state-backend",
        `the bucket ${location.bucket} does not exist at ${location.endpoint} (${doing})`,
        "create it (e.g. `aws s3 mb s3://BUCKET`), or fix `state: {backend}` in ~/.dstack/config.yml / DSTACK_BACKEND_URL",
      );
    case "NoCredentials":
      return new UserError(
        "state-backend",
        reply.message,
        "the same credentials Pulumi uses for the S3 backend",
      );
    case "AccessDenied":
    case "InvalidAccessKeyId":
    case "SignatureDoesNotMatch":
    case "ExpiredToken":
      return new UserError(
        "state-backend",
        `${where} refused the credentials (${reply.code}: ${reply.message}) while ${doing}`,
        "check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or AWS_PROFILE): they must read and write the bucket",
      );
  }
  if (reply.status === null)
    return new UserError(
      "state-backend",
      `no S3 endpoint answers at ${location.endpoint} (${reply.code}: ${reply.message}) while ${doing}`,
      "check the endpoint in the backend URL and that the server is up",
    );
  return new UserError(
    "state-backend",
    `${where} answered HTTP ${reply.status} (${reply.code}: ${reply.message}) while ${doing}`,
  );
}
