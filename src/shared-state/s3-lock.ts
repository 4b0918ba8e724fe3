// A lock between dstack processes in an S3 backend (a pool's, while its stack is updated): an object
// created only if absent (If-None-Match: *) holding its holder's process stamp. A holder that is
// certainly dead (on this host, its pid gone) is taken over with a delete conditional on the ETag read,
// so two processes taking over at once cannot both win. A holder on another host is never judged dead.
import { ownStamp, stampAlive, type ProcessStamp } from "../process-identity.js";
import type { S3Location } from "./s3-location.js";
import { s3Error } from "./s3-errors.js";
import { s3Call } from "./sync-bridge.js";

export function takeS3Lock(location: S3Location, name: string): boolean {
  const key = `${location.prefix}locks/${name}.lock`;
  for (let tries = 0; tries < 2; tries++) {
    const put = s3Call(location, { op: "put", key, body: JSON.stringify(ownStamp()), ifNoneMatch: true });
    if (put.kind === "written") return true;
    if (put.kind === "error") throw s3Error(location, put, `taking the lock ${key}`);
    const held = s3Call(location, { op: "get", key });
    if (held.kind === "missing") continue; // released meanwhile
    if (held.kind === "error") throw s3Error(location, held, `reading the lock ${key}`);
    if (held.kind !== "object") return false;
    let stamp: ProcessStamp | undefined;
    try {
      stamp = JSON.parse(held.body) as ProcessStamp;
    } catch {
      stamp = undefined;
    }
    if (stamp === undefined || stampAlive(stamp)) return false;
    s3Call(location, { op: "delete", key, ifMatch: held.etag });
  }
  return false;
}

export function releaseS3Lock(location: S3Location, name: string): void {
  s3Call(location, { op: "delete", key: `${location.prefix}locks/${name}.lock` });
}
