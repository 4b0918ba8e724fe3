// The record store over files: what is written reads back, with its version; what cannot be used is a
// typed error naming the file and what is wrong; a listing skips such records and says which; a record
// from a newer dstack is refused; records written before versions existed still read; and a write is
// never seen half done, not even by a writer killed mid-write (real child processes).
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { FileRecordStore } from "../../../src/home/file-record-store.js";
import { RecordError, orIfUnreadable, type RecordKind } from "../../../src/home/record-store.js";
import { readPool, updatePoolInstance, writePool } from "../../../src/pools/pool-store.js";
import { listRuns, readRun, writeRun, type RunRecord } from "../../../src/runs/store.js";

const ROOT = resolve(import.meta.dirname, "../../..");
const tempDir = (): string => mkdtempSync(join(tmpdir(), "dstack-records-"));

const note = z.object({ name: z.string(), count: z.number().int(), tags: z.array(z.string()).optional() });
type Note = z.infer<typeof note>;
const NOTES: RecordKind<Note> = {
  noun: "note",
  version: 1,
  schema: note,
  key: (n) => n.name,
  order: (a, b) => a.name.localeCompare(b.name),
  whenRemoved: "the note is forgotten",
};

function caught(action: () => unknown): RecordError {
  try {
    action();
  } catch (error) {
    if (error instanceof RecordError) return error;
    throw error;
  }
  throw new Error("expected a RecordError");
}

describe("FileRecordStore", () => {
  it("round trip: put, get, list in order, update, remove; every record carries record_version", () => {
    const dir = tempDir();
    const store = new FileRecordStore(NOTES, dir);
    expect(store.get("b")).toBeUndefined();
    expect(store.list()).toEqual({ records: [], unreadable: [] });
    store.put({ name: "b", count: 2 });
    store.put({ name: "a", count: 1, tags: ["x"] });
    expect(store.get("a")).toEqual({ name: "a", count: 1, tags: ["x"] });
    expect(JSON.parse(readFileSync(join(dir, "a.json"), "utf8"))).toEqual({
      record_version: 1,
      name: "a",
      count: 1,
      tags: ["x"],
    });
    expect(store.list().records.map((n) => n.name)).toEqual(["a", "b"]);
    expect(store.update("b", (n) => ({ ...n, count: n.count + 1 }))).toEqual({ name: "b", count: 3 });
    expect(store.get("b")?.count).toBe(3);
    // Unchanged: not written again. Absent: nothing to update.
    expect(store.update("b", () => undefined)).toEqual({ name: "b", count: 3 });
    expect(store.update("gone", (n) => n)).toBeUndefined();
    expect(store.get("gone")).toBeUndefined();
    store.remove("a");
    store.remove("a");
    expect(store.list().records.map((n) => n.name)).toEqual(["b"]);
    expect(readdirSync(dir).sort()).toEqual(["b.json"]);
  });

  it("a record without record_version (written before versions) reads as version 1", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "old.json"), JSON.stringify({ name: "old", count: 7 }));
    const store = new FileRecordStore(NOTES, dir);
    expect(store.get("old")).toEqual({ name: "old", count: 7 });
    store.update("old", (n) => ({ ...n, count: 8 }));
    expect(JSON.parse(readFileSync(join(dir, "old.json"), "utf8"))).toMatchObject({
      record_version: 1,
      count: 8,
    });
  });

  it("an invalid record is a RecordError naming the file and the field; damaged JSON too", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "wrong.json"), JSON.stringify({ name: "wrong", count: "three" }));
    writeFileSync(join(dir, "half.json"), '{"record_version": 1, "name": "ha');
    writeFileSync(join(dir, "list.json"), "[]");
    const store = new FileRecordStore(NOTES, dir);
    const wrong = caught(() => store.get("wrong"));
    expect(wrong.code).toBe("record-invalid");
    expect(wrong.where).toBe(join(dir, "wrong.json"));
    expect(wrong.message).toBe(
      `cannot read the note record ${join(dir, "wrong.json")}: count: expected number, received string`,
    );
    expect(wrong.hint).toBe(
      "it was changed outside dstack: restore it, or remove it (the note is forgotten)",
    );
    expect(caught(() => store.get("half")).message).toMatch(
      new RegExp(`^cannot read the note record ${join(dir, "half.json")}: not JSON \\(`),
    );
    expect(caught(() => store.get("list")).message).toContain("list.json: not a JSON object");
    const bad = { name: "bad", count: 1, record_version: "1" };
    writeFileSync(join(dir, "bad.json"), JSON.stringify(bad));
    expect(caught(() => store.get("bad")).message).toContain(
      'bad.json: record_version: expected a positive integer, found "1"',
    );
    // Never silently overwritten through update.
    expect(() => store.update("wrong", (n) => n)).toThrow(RecordError);
    expect(JSON.parse(readFileSync(join(dir, "wrong.json"), "utf8"))).toEqual({
      name: "wrong",
      count: "three",
    });
  });

  it("a record of a newer version is refused: upgrade dstack", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "next.json"), JSON.stringify({ record_version: 2, name: "next", shape: "new" }));
    const store = new FileRecordStore(NOTES, dir);
    const newer = caught(() => store.get("next"));
    expect(newer.code).toBe("record-newer");
    expect(newer.message).toBe(
      `the note record ${join(dir, "next.json")} was written by a newer dstack (record version 2; this dstack reads up to 1)`,
    );
    expect(newer.hint).toBe("upgrade dstack to use it");
    expect(() => store.update("next", (n) => ({ ...n, count: 1 }))).toThrow(newer.message);
  });

  it("a listing skips records it cannot read and says which, never a temp file", () => {
    const dir = tempDir();
    const store = new FileRecordStore(NOTES, dir);
    store.put({ name: "good", count: 1 });
    writeFileSync(join(dir, "broken.json"), "{");
    writeFileSync(join(dir, "future.json"), JSON.stringify({ record_version: 9, name: "future" }));
    writeFileSync(join(dir, "good.json.123.tmp"), '{"name": "go');
    const { records, unreadable } = store.list();
    expect(records).toEqual([{ name: "good", count: 1 }]);
    expect(unreadable.map((e) => [e.code, e.where]).sort()).toEqual([
      ["record-invalid", join(dir, "broken.json")],
      ["record-newer", join(dir, "future.json")],
    ]);
    expect(orIfUnreadable(() => store.get("broken"), "skipped")).toBe("skipped");
    expect(orIfUnreadable(() => store.get("good"), "skipped")).toEqual({ name: "good", count: 1 });
  });

  it("refuses to write an invalid record or a key that is no file name (bugs, not user errors)", () => {
    const store = new FileRecordStore(NOTES, tempDir());
    expect(() => store.put({ name: "n", count: 1.5 })).toThrow(
      /refusing to write an invalid note record: count/,
    );
    expect(() => store.put({ name: "../escape", count: 1 })).toThrow(/not a note record key/);
    expect(() => store.put({ name: "n", count: 1.5 })).not.toThrow(RecordError);
  });
});

describe("the record kinds", () => {
  const run: RunRecord = {
    name: "dev",
    type: "dev-environment",
    backend: "local",
    pool: "local",
    instance: "local-ab12cd",
    instance_ssh_port: 32001,
    run_ssh_port: 10022,
    resources: "2..xCPU",
    price: 0,
    submitted_at: "2026-01-01T00:00:00.000Z",
    config_file: ".dstack.yml",
    spec: { type: "dev-environment" },
    ports: [{ local: null, container: 8080 }],
  };

  it("a run record as an earlier dstack wrote it (no version, no zone, no host) still reads", () => {
    const home = tempDir();
    mkdirSync(join(home, ".dstack", "runs"), { recursive: true });
    writeFileSync(join(home, ".dstack", "runs", "dev.json"), JSON.stringify(run, null, 2));
    expect(readRun(home, "dev")).toEqual(run);
    writeRun(home, { ...run, zone: null, interrupted_at: "2026-01-02T00:00:00.000Z" });
    expect(listRuns(home)).toEqual([{ ...run, zone: null, interrupted_at: "2026-01-02T00:00:00.000Z" }]);
  });

  it("a run record with a wrong field names the file and the field", () => {
    const home = tempDir();
    mkdirSync(join(home, ".dstack", "runs"), { recursive: true });
    const file = join(home, ".dstack", "runs", "dev.json");
    writeFileSync(file, JSON.stringify({ ...run, ports: [{ local: "x", container: 8080 }] }));
    expect(() => readRun(home, "dev")).toThrow(
      `cannot read the run record ${file}: ports[0].local: expected number, received string`,
    );
    writeFileSync(file, JSON.stringify({ ...run, submitted_at: "yesterday" }));
    expect(() => readRun(home, "dev")).toThrow(`${file}: submitted_at: expected an ISO date-time`);
    expect(listRuns(home)).toEqual([]);
  });

  it("a pool without a record has no instances; a damaged one is refused, not read as empty", () => {
    const home = tempDir();
    expect(readPool(home, "local")).toEqual({ name: "local", instances: [] });
    const instance = { name: "local-1", created_at: "2026-01-01T00:00:00.000Z", idle_duration: 300 };
    writePool(home, { name: "local", instances: [instance] });
    updatePoolInstance(home, "local", "local-1", { claimed_at: "2026-01-01T00:01:00.000Z" });
    updatePoolInstance(home, "local", "nobody", { claimed_at: "2026-01-01T00:01:00.000Z" });
    expect(readPool(home, "local").instances).toEqual([
      { ...instance, claimed_at: "2026-01-01T00:01:00.000Z" },
    ]);
    writeFileSync(
      join(home, ".dstack", "pools", "local.json"),
      '{"name": "local", "instances": [{"name": 1}]}',
    );
    expect(() => readPool(home, "local")).toThrow(
      /cannot read the pool record .*local\.json: instances\[0\]\.name/,
    );
  });
});

describe("atomic writes", () => {
  it("readers in another process never see half a record, and a writer killed mid-write leaves a whole one", async () => {
    const dir = tempDir();
    const script = join(dir, "writer.mjs");
    await build({
      stdin: {
        contents: `import { FileRecordStore } from "./src/home/file-record-store.ts";
import { z } from "zod";
const schema = z.object({ name: z.string(), n: z.number(), blob: z.string() });
const store = new FileRecordStore(
  { noun: "blob", version: 1, schema, key: (r) => r.name, order: () => 0, whenRemoved: "" },
  process.argv[2],
);
// Big enough that one write takes several system calls.
for (let n = 0; ; n++) {
  store.put({ name: "big", n, blob: String(n % 10).repeat(1 << 20) });
  if (n === 0) process.stdout.write("writing\\n");
}`,
        resolveDir: ROOT,
        loader: "ts",
      },
      outfile: script,
      bundle: true,
      format: "esm",
      platform: "node",
      logLevel: "warning",
    });
    const records = join(dir, "records");
    const blob = z.object({ name: z.string(), n: z.number(), blob: z.string() });
    const store = new FileRecordStore(
      { noun: "blob", version: 1, schema: blob, key: (r) => r.name, order: () => 0, whenRemoved: "" },
      records,
    );
    const writer = spawn(process.execPath, [script, records]);
    await new Promise<void>((started) => writer.stdout.once("data", () => started()));
    let reads = 0;
    const until = Date.now() + 1500;
    while (Date.now() < until) {
      const record = store.get("big"); // throws on half a record
      expect(record?.blob).toBe(String((record?.n ?? 0) % 10).repeat(1 << 20));
      reads++;
      await new Promise((tick) => setImmediate(tick));
    }
    writer.kill("SIGKILL");
    await new Promise((exited) => writer.once("exit", exited));
    expect(reads).toBeGreaterThan(10);
    const last = store.get("big");
    expect(last?.blob).toHaveLength(1 << 20);
    // The killed writer's temp file, if any, is never taken for a record.
    expect(store.list().unreadable).toEqual([]);
    expect(store.list().records).toHaveLength(1);
  });
});
