// The one place record stores are made: each kind in its folder of the records root (records-root.ts),
// so every record follows the team's backend with no caller knowing where that is.
import { join } from "node:path";
import { FileRecordStore } from "./file-record-store.js";
import type { RecordKind, RecordStore } from "./record-store.js";
import { recordsRoot } from "./records-root.js";

export type RecordFolder = "runs" | "pending" | "fleets" | "pools" | "volumes" | "registries" | "members";

export function recordStore<T>(kind: RecordKind<T>, home: string, folder: RecordFolder): RecordStore<T> {
  const root = recordsRoot(home);
  if (root.kind === "files") return new FileRecordStore(kind, join(root.dir, folder));
  throw new Error("internal: S3 records are not wired yet");
}

/** A file of the records root (files roots only): the named pools' list, a pool's lock. */
export function recordsFile(home: string, ...path: string[]): string {
  const root = recordsRoot(home);
  if (root.kind === "files") return join(root.dir, ...path);
  throw new Error("internal: S3 records are not wired yet");
}
