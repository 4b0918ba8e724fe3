// The one place record stores are made: each kind in its folder of the records root (records-root.ts),
// files under ~/.dstack or a shared folder, or objects of an S3 bucket, so every record follows the
// team's backend with no caller knowing where that is. The same for the root's two other things: the
// named pools' list (a text) and the pools' locks.
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { s3Location } from "../shared-state/s3-location.js";
import { releaseS3Lock, takeS3Lock } from "../shared-state/s3-lock.js";
import { S3RecordStore } from "../shared-state/s3-record-store.js";
import { s3Error } from "../shared-state/s3-errors.js";
import { s3Call } from "../shared-state/sync-bridge.js";
import { serviceCall, serviceLocation } from "../shared-state/service-api.js";
import { releaseServiceLock, takeServiceLock } from "../shared-state/service-lock.js";
import {
  recordDeployment,
  recordOf,
  ServiceRecordStore,
  startLockedUpdate,
} from "../shared-state/service-record-store.js";
import { writeFileAtomic } from "./atomic-file.js";
import { FileRecordStore } from "./file-record-store.js";
import { releaseLock, takeLock } from "./lock-file.js";
import type { RecordKind, RecordStore } from "./record-store.js";
import { recordsRoot } from "./records-root.js";

export type RecordFolder = "runs" | "pending" | "fleets" | "pools" | "volumes" | "registries" | "members";

export function recordStore<T>(kind: RecordKind<T>, home: string, folder: RecordFolder): RecordStore<T> {
  const root = recordsRoot(home);
  if (root.kind === "files") return new FileRecordStore(kind, join(root.dir, folder));
  if (root.kind === "service") return new ServiceRecordStore(kind, serviceLocation(root.url, home), folder);
  return new S3RecordStore(kind, s3Location(root.url), folder);
}

/** A text of the root kept as a stack's output on a Pulumi service (project `dstack-settings`). */
const SETTINGS = "dstack-settings";
const settingsStack = (name: string): string => name.replace(/[^A-Za-z0-9_.-]/g, "-");

/** A text of the records root (`pool-names.json`), or undefined when there is none. */
export function readRootText(home: string, name: string): string | undefined {
  const root = recordsRoot(home);
  if (root.kind === "files")
    try {
      return readFileSync(join(root.dir, name), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  if (root.kind === "service") {
    const location = serviceLocation(root.url, home);
    const reply = serviceCall(
      location,
      "GET",
      `/api/stacks/${location.org}/${SETTINGS}/${settingsStack(name)}/export`,
    );
    return reply.status === 200 ? recordOf(reply.json) : undefined;
  }
  const location = s3Location(root.url);
  const reply = s3Call(location, { op: "get", key: `${location.prefix}${name}` });
  if (reply.kind === "missing") return undefined;
  if (reply.kind === "error") throw s3Error(location, reply, `reading ${name}`);
  return reply.kind === "object" ? reply.body : undefined;
}

export function writeRootText(home: string, name: string, text: string): void {
  const root = recordsRoot(home);
  if (root.kind === "files") {
    const file = join(root.dir, name);
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileAtomic(file, text);
    return;
  }
  if (root.kind === "service") {
    const location = serviceLocation(root.url, home);
    const stack = settingsStack(name);
    const update = startLockedUpdate(location, SETTINGS, stack, `dstack: ${name}`);
    let status = "failed";
    try {
      update.checkpoint(recordDeployment(SETTINGS, stack, text));
      status = "succeeded";
    } finally {
      update.complete(status);
    }
    return;
  }
  const location = s3Location(root.url);
  const reply = s3Call(location, { op: "put", key: `${location.prefix}${name}`, body: text });
  if (reply.kind === "error") throw s3Error(location, reply, `writing ${name}`);
}

/** Where a text of the root is, for messages. */
export function rootTextWhere(home: string, name: string): string {
  const root = recordsRoot(home);
  if (root.kind === "files") return join(root.dir, name);
  if (root.kind === "service") return `${root.url} ${SETTINGS}/${settingsStack(name)}`;
  const location = s3Location(root.url);
  return `s3://${location.bucket}/${location.prefix}${name}`;
}

/** A lock of the root between dstack processes (a pool's): taken, or a dead holder's taken over. */
export function takeRootLock(home: string, name: string): boolean {
  const root = recordsRoot(home);
  if (root.kind === "s3") return takeS3Lock(s3Location(root.url), name);
  if (root.kind === "service") return takeServiceLock(serviceLocation(root.url, home), name);
  const file = join(root.dir, "locks", `${name}.lock`);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  return takeLock(file);
}

export function releaseRootLock(home: string, name: string): void {
  const root = recordsRoot(home);
  if (root.kind === "s3") releaseS3Lock(s3Location(root.url), name);
  else if (root.kind === "service") releaseServiceLock(serviceLocation(root.url, home), name);
  else releaseLock(join(root.dir, "locks", `${name}.lock`));
}
