// dstack's records in an S3 bucket (issue 15), against the real S3-compatible server of
// scripts/ensure-s3 (MinIO): one object per record beside the stacks, read and written synchronously
// through the worker bridge; `update` is a conditional write that never loses a concurrent writer's
// change; the pools' locks are objects created only if absent, a dead holder's taken over; and a
// missing bucket, refused credentials or an endpoint nothing listens on are each a clear error.
import { hostname } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { RecordKind } from "../../src/home/record-store.js";
import { s3Location } from "../../src/shared-state/s3-location.js";
import { releaseS3Lock, takeS3Lock } from "../../src/shared-state/s3-lock.js";
import { S3RecordStore } from "../../src/shared-state/s3-record-store.js";
import { s3Call } from "../../src/shared-state/sync-bridge.js";
import { createBucket, getObject, listKeys, removeBucket, requireS3, type S3Server } from "./s3.js";

const BUCKET = `dstack-records-${process.pid}-${Date.now().toString(36)}`;
let s3: S3Server;
const url = (bucket = BUCKET, server = s3, prefix = "team") =>
  `s3://${bucket}/${prefix}?endpoint=${server.host}&disableSSL=true&s3ForcePathStyle=true&region=${server.region}`;

interface Note {
  name: string;
  lines: string[];
}
const NOTE: RecordKind<Note> = {
  noun: "note",
  version: 1,
  schema: z.object({ name: z.string(), lines: z.array(z.string()) }),
  key: (n) => n.name,
  order: (a, b) => a.name.localeCompare(b.name),
  whenRemoved: "the note is gone",
};

beforeAll(async () => {
  s3 = await requireS3();
  // The worker takes the credentials of this process's environment, as the CLI's does.
  process.env.AWS_ACCESS_KEY_ID = s3.accessKey;
  process.env.AWS_SECRET_ACCESS_KEY = s3.secretKey;
  await createBucket(s3, BUCKET);
});

afterAll(async () => {
  await removeBucket(s3, BUCKET).catch(() => undefined);
});

describe("records in S3", () => {
  it("are objects <prefix>/.dstack/<folder>/<key>.json, read back, listed in order and removed", async () => {
    const store = new S3RecordStore(NOTE, s3Location(url()), "notes");
    expect(store.get("a")).toBeUndefined();
    store.put({ name: "b", lines: ["two"] });
    store.put({ name: "a", lines: ["one"] });
    expect(store.get("a")).toEqual({ name: "a", lines: ["one"] });
    expect(store.list()).toEqual({
      records: [
        { name: "a", lines: ["one"] },
        { name: "b", lines: ["two"] },
      ],
      unreadable: [],
    });
    expect((await listKeys(s3, BUCKET)).sort()).toEqual([
      "team/.dstack/notes/a.json",
      "team/.dstack/notes/b.json",
    ]);
    expect(JSON.parse((await getObject(s3, BUCKET, "team/.dstack/notes/a.json")).toString())).toMatchObject({
      record_version: 1,
      name: "a",
    });
    store.remove("b");
    expect(store.list().records.map((n) => n.name)).toEqual(["a"]);
  });

  it("update retries from a fresh read when another writer changed the record meanwhile: both changes stay", () => {
    const mine = new S3RecordStore(NOTE, s3Location(url()), "notes");
    const theirs = new S3RecordStore(NOTE, s3Location(url()), "notes");
    mine.put({ name: "shared", lines: [] });
    let calls = 0;
    const result = mine.update("shared", (current) => {
      calls++;
      // Between this read and its conditional write, a teammate appends a line.
      if (calls === 1) theirs.update("shared", (n) => ({ ...n, lines: [...n.lines, "theirs"] }));
      return { ...current, lines: [...current.lines, "mine"] };
    });
    expect(calls).toBe(2);
    expect(result?.lines).toEqual(["theirs", "mine"]);
    expect(theirs.get("shared")?.lines).toEqual(["theirs", "mine"]);
  });

  it("a lock is taken once; a live holder keeps it, a dead holder's is taken over", () => {
    const location = s3Location(url());
    expect(takeS3Lock(location, "pool-x")).toBe(true);
    expect(takeS3Lock(location, "pool-x")).toBe(false);
    releaseS3Lock(location, "pool-x");
    expect(takeS3Lock(location, "pool-x")).toBe(true);
    releaseS3Lock(location, "pool-x");
    // A lock left by a process of this host that is gone (pid 2^22 + 1 is above any pid_max default).
    const dead = JSON.stringify({ pid: 4194305, host: hostname(), start: 1 });
    expect(s3Call(location, { op: "put", key: `${location.prefix}locks/pool-y.lock`, body: dead }).kind).toBe(
      "written",
    );
    expect(takeS3Lock(location, "pool-y")).toBe(true);
    releaseS3Lock(location, "pool-y");
  });

  it("a bucket that does not exist, refused credentials, an endpoint nothing listens on: a clear error each", () => {
    const missing = new S3RecordStore(NOTE, s3Location(url(`${BUCKET}-missing`)), "notes");
    expect(() => missing.put({ name: "x", lines: [] })).toThrow(
      `the bucket ${BUCKET}-missing does not exist at http://${s3.host}`,
    );
    const nobody = new S3RecordStore(NOTE, s3Location(url(BUCKET, { ...s3, host: "127.0.0.1:9" })), "notes");
    expect(() => nobody.list()).toThrow("no S3 endpoint answers at http://127.0.0.1:9");
    // A new worker (another location) takes the environment as it is when it starts.
    const saved = process.env.AWS_SECRET_ACCESS_KEY;
    process.env.AWS_SECRET_ACCESS_KEY = "not-the-secret";
    try {
      const refused = new S3RecordStore(NOTE, s3Location(url(BUCKET, s3, "refused")), "notes");
      expect(() => refused.get("a")).toThrow("refused the credentials (SignatureDoesNotMatch");
    } finally {
      process.env.AWS_SECRET_ACCESS_KEY = saved;
    }
  });
});
