// The record store over files: one folder per kind under ~/.dstack (paths.ts), one `<key>.json` per
// record, written atomically (temp file, fsync, rename) so a crash or a concurrent reader never sees
// half a record. Temp files (`*.tmp`, left by a process killed mid-write) are never read as records.
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic-file.js";
import { decodeRecord, encodeRecord } from "./record-codec.js";
import {
  collectListing,
  RECORD_KEY,
  RecordError,
  type RecordKind,
  type RecordListing,
  type RecordStore,
} from "./record-store.js";

export class FileRecordStore<T> implements RecordStore<T> {
  constructor(
    private readonly kind: RecordKind<T>,
    private readonly dir: string,
  ) {}

  private file(key: string): string {
    if (!RECORD_KEY.test(key)) throw new Error(`not a ${this.kind.noun} record key: ${JSON.stringify(key)}`);
    return join(this.dir, `${key}.json`);
  }

  get(key: string): T | undefined {
    return this.read(this.file(key));
  }

  private read(file: string): T | undefined {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      const reason = error instanceof Error ? error.message : String(error);
      throw new RecordError(
        "record-invalid",
        file,
        `cannot read the ${this.kind.noun} record ${file}: ${reason}`,
        "check the permissions of ~/.dstack",
      );
    }
    return decodeRecord(this.kind, text, file);
  }

  list(): RecordListing<T> {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((f) => f.endsWith(".json"));
    } catch {
      return { records: [], unreadable: [] };
    }
    // A file of another name (not a key dstack writes) is read too, and reported if it is no record.
    return collectListing(
      this.kind,
      names.map((name) => () => this.read(join(this.dir, name))),
    );
  }

  put(record: T): void {
    const file = this.file(this.kind.key(record));
    const text = encodeRecord(this.kind, record);
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    writeFileAtomic(file, text);
  }

  remove(key: string): void {
    rmSync(this.file(key), { force: true });
  }

  update(key: string, change: (current: T) => T | undefined): T | undefined {
    const current = this.get(key);
    if (current === undefined) return undefined;
    const next = change(current);
    if (next === undefined) return current;
    if (this.kind.key(next) !== key) throw new Error(`an update may not rename ${this.kind.noun} ${key}`);
    this.put(next);
    return next;
  }
}
