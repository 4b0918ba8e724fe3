// The record store over S3 (issue 15): one object per record, `<prefix>/.dstack/<folder>/<key>.json`,
// beside the team's Pulumi stacks. A put is one complete PUT (S3 never shows half an object); `update`
// is a conditional write (If-Match on the ETag it read), retried from a fresh read when another writer
// got there first, so two teammates changing one record never lose either change.
import { decodeRecord, encodeRecord } from "../home/record-codec.js";
import {
  collectListing,
  RECORD_KEY,
  RecordError,
  type RecordKind,
  type RecordListing,
  type RecordStore,
} from "../home/record-store.js";
import type { S3Location } from "./s3-location.js";
import { s3Error } from "./s3-errors.js";
import { s3Call } from "./sync-bridge.js";

const UPDATE_TRIES = 20;

/**
 * Listings of a folder, kept briefly: one command lists the same folder several times (recovery, the
 * reaper check, the table), each a LIST and a GET per record. A listing is dropped when this process
 * writes to the folder, and after LISTING_TTL_MS. Reads of one record (`get`, and `update`'s read, which
 * decisions under a lock rely on) always ask the bucket.
 */
const LISTING_TTL_MS = 2000;
const listings = new Map<string, { at: number; objects: { key: string; body: string }[] }>();

export class S3RecordStore<T> implements RecordStore<T> {
  constructor(
    private readonly kind: RecordKind<T>,
    private readonly location: S3Location,
    private readonly folder: string,
  ) {}

  private objectKey(key: string): string {
    if (!RECORD_KEY.test(key)) throw new Error(`not a ${this.kind.noun} record key: ${JSON.stringify(key)}`);
    return `${this.location.prefix}${this.folder}/${key}.json`;
  }

  private where(objectKey: string): string {
    return `s3://${this.location.bucket}/${objectKey}`;
  }

  private read(key: string): { record: T; etag: string } | undefined {
    const objectKey = this.objectKey(key);
    const reply = s3Call(this.location, { op: "get", key: objectKey });
    if (reply.kind === "missing") return undefined;
    if (reply.kind === "error") throw s3Error(this.location, reply, `reading ${this.where(objectKey)}`);
    if (reply.kind !== "object") throw new Error(`internal: unexpected S3 reply ${reply.kind}`);
    return { record: decodeRecord(this.kind, reply.body, this.where(objectKey)), etag: reply.etag };
  }

  get(key: string): T | undefined {
    return this.read(key)?.record;
  }

  private get listingKey(): string {
    return `${this.location.endpoint}/${this.location.bucket}/${this.location.prefix}${this.folder}/`;
  }

  private objects(): { key: string; body: string }[] {
    const cached = listings.get(this.listingKey);
    if (cached !== undefined && Date.now() - cached.at < LISTING_TTL_MS) return cached.objects;
    const prefix = `${this.location.prefix}${this.folder}/`;
    const reply = s3Call(this.location, { op: "getAll", prefix });
    if (reply.kind === "error") throw s3Error(this.location, reply, `listing ${this.where(prefix)}`);
    if (reply.kind !== "objects") throw new Error(`internal: unexpected S3 reply ${reply.kind}`);
    listings.set(this.listingKey, { at: Date.now(), objects: reply.objects });
    return reply.objects;
  }

  list(): RecordListing<T> {
    return collectListing(
      this.kind,
      this.objects()
        .filter((o) => o.key.endsWith(".json"))
        .map((o) => () => decodeRecord(this.kind, o.body, this.where(o.key))),
    );
  }

  put(record: T): void {
    listings.delete(this.listingKey);
    const objectKey = this.objectKey(this.kind.key(record));
    const reply = s3Call(this.location, { op: "put", key: objectKey, body: encodeRecord(this.kind, record) });
    if (reply.kind === "error") throw s3Error(this.location, reply, `writing ${this.where(objectKey)}`);
  }

  remove(key: string): void {
    listings.delete(this.listingKey);
    const objectKey = this.objectKey(key);
    const reply = s3Call(this.location, { op: "delete", key: objectKey });
    if (reply.kind === "error") throw s3Error(this.location, reply, `deleting ${this.where(objectKey)}`);
  }

  update(key: string, change: (current: T) => T | undefined): T | undefined {
    const objectKey = this.objectKey(key);
    for (let tries = 0; tries < UPDATE_TRIES; tries++) {
      const current = this.read(key);
      if (current === undefined) return undefined;
      const next = change(current.record);
      if (next === undefined) return current.record;
      if (this.kind.key(next) !== key) throw new Error(`an update may not rename ${this.kind.noun} ${key}`);
      listings.delete(this.listingKey);
      const reply = s3Call(this.location, {
        op: "put",
        key: objectKey,
        body: encodeRecord(this.kind, next),
        ifMatch: current.etag,
      });
      if (reply.kind === "written") return next;
      if (reply.kind === "error") throw s3Error(this.location, reply, `writing ${this.where(objectKey)}`);
      // conflict: another writer changed it since our read; read it again and reapply the change.
    }
    throw new RecordError(
      "record-invalid",
      this.where(objectKey),
      `the ${this.kind.noun} record ${this.where(objectKey)} kept changing under ${UPDATE_TRIES} tries to update it`,
      "try again",
    );
  }
}
