// The fake cloud's persistent state: every resource that currently exists, per cloud, as JSON files
// under one directory shared by every plugin process (and by the tests that inspect it). Writers take
// a lock file (O_EXCL create; a lock whose process is gone is taken over) and replace files by atomic
// rename, so a reader without the lock always sees a whole file, old or new.
import {
  existsSync,
  mkdirSync,
  openSync,
  closeSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import type { JsonObject } from "./values.js";

export const CLOUDS = ["aws", "gcp", "azure"] as const;
export type CloudName = (typeof CLOUDS)[number];

export interface StoredResource {
  /** The resource type token, e.g. `aws:ec2/instance:Instance`. */
  type: string;
  id: string;
  /** The URN of the stack resource that created it ("" for a seeded resource). */
  urn: string;
  inputs: JsonObject;
  outputs: JsonObject;
  /** The store counter at creation; every generated address derives from it. */
  serial: number;
  createdAt: string;
  updatedAt?: string;
  /** The container a booted instance runs in (booting on, see boot/); removed with the resource. */
  container?: string;
}

export interface CloudState {
  resources: Record<string, StoredResource>;
}

export interface MetaState {
  /** Incremented on every create, across clouds. */
  counter: number;
  /** Matching creates seen per fault rule key (see faults.ts). */
  faultAttempts: Record<string, number>;
  /** Loopback public addresses of this store (booting on), by the id of the resource owning each. */
  addresses?: Record<string, string>;
}

export interface StoreData {
  clouds: Record<CloudName, CloudState>;
  meta: MetaState;
}

const LOCK_TIMEOUT_MS = 60_000;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function readJson<T>(file: string, empty: T): T {
  if (!existsSync(file)) return empty;
  return JSON.parse(readFileSync(file, "utf8")) as T;
}

function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.${Math.random().toString(16).slice(2)}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(tmp, file);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export class Store {
  constructor(readonly dir: string) {}

  private file(name: string): string {
    return join(this.dir, `${name}.json`);
  }

  /** A consistent-enough snapshot without the lock (each file is whole; files may be from different writes). */
  read(): StoreData {
    const clouds = Object.fromEntries(
      CLOUDS.map((c) => [c, readJson<CloudState>(this.file(c), { resources: {} })]),
    ) as Record<CloudName, CloudState>;
    return { clouds, meta: readJson<MetaState>(this.file("meta"), { counter: 0, faultAttempts: {} }) };
  }

  /** Runs `fn` on the current data under the lock, then writes back whatever it changed. */
  transact<T>(fn: (data: StoreData) => T): T {
    return withLock(this.dir, () => {
      const data = this.read();
      const before = JSON.stringify(data);
      const result = fn(data);
      if (JSON.stringify(data) !== before) {
        for (const c of CLOUDS) writeJsonAtomic(this.file(c), data.clouds[c]);
        writeJsonAtomic(this.file("meta"), data.meta);
      }
      return result;
    });
  }
}

/** Runs `fn` holding `<dir>/.lock` (the directory is created if missing); see SPEC.md "State". */
export function withLock<T>(dir: string, fn: () => T): T {
  mkdirSync(dir, { recursive: true });
  const release = lock(join(dir, ".lock"));
  try {
    return fn();
  } finally {
    release();
  }
}

function lock(path: string): () => void {
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => unlinkSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    takeOverStale(path);
    if (Date.now() > deadline)
      throw new Error(
        `fake-cloud: the store lock ${path} has been held for over ${LOCK_TIMEOUT_MS / 1000} s`,
      );
    sleepSync(Math.min(5 + attempt * 2, 50));
  }
}

/** A lock left by a process that died mid-transaction (killed plugin) is removed. */
function takeOverStale(path: string): void {
  try {
    const pid = Number(readFileSync(path, "utf8"));
    const old = Date.now() - statSync(path).mtimeMs > 1000;
    if (old && Number.isInteger(pid) && pid > 0 && !alive(pid)) unlinkSync(path);
  } catch {
    // gone in the meantime, or half-written: retry
  }
}
