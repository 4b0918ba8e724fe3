// One record store for everything dstack remembers between commands (runs, pending runs, fleets, pools):
// a small interface that today's files implement (file-record-store.ts) and a later shared-state
// backend (records in S3 or Pulumi Cloud) can implement too. Each kind of record is declared once
// (RecordKind: a zod schema and its version); every record is validated when read, so a damaged record
// is a typed error naming its file and what is wrong, never "absent".
//
// Sync, like its callers today; a network backend will make these methods async, a mechanical change
// at the callers. `update` is the one read-modify-write, so such a backend can make it a conditional
// write (compare-and-swap) rather than a lock.
import type { z } from "zod";
import { UserError } from "../errors.js";

export interface RecordKind<T> {
  /** What one record is, for messages: `run`, `pending run`, `fleet`, `pool`. */
  noun: string;
  /**
   * The record version this dstack writes (as `record_version`) and reads. A record without one was
   * written before records were versioned: version 1. A change an older dstack would misread bumps it;
   * an optional field added within a version does not (an older dstack rewriting the record drops it).
   */
  version: number;
  /** The current version's fields, without `record_version`. */
  schema: z.ZodType<T>;
  /** The record's key, unique in its kind (its name); a file name, so letters, digits, `.`, `_`, `-`. */
  key: (record: T) => string;
  /** The order `list` returns. */
  order: (a: T, b: T) => number;
  /** What removing an unreadable record means, shown in the error's hint. */
  whenRemoved: string;
}

/** A record's key: a file or object name, a stack name: letters, digits, `.`, `_`, `-`. */
export const RECORD_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Every record that could be read, and an error for each one that could not (they are skipped). */
export interface RecordListing<T> {
  records: T[];
  unreadable: RecordError[];
}

export interface RecordStore<T> {
  /** The record, or undefined when there is none; a RecordError when it cannot be read. */
  get(key: string): T | undefined;
  list(): RecordListing<T>;
  /** Creates or replaces the record, as one complete write (a reader never sees half of it). */
  put(record: T): void;
  /** Removes the record; nothing when there is none. */
  remove(key: string): void;
  /**
   * Reads, changes and writes the record; undefined when there is none (removed meanwhile). `change`
   * returns undefined to leave it as it is.
   */
  update(key: string, change: (current: T) => T | undefined): T | undefined;
}

export type RecordErrorCode = "record-invalid" | "record-newer";

/** A record that exists but cannot be used: damaged, invalid, or written by a newer dstack. */
export class RecordError extends UserError {
  constructor(
    code: RecordErrorCode,
    /** Where the record is: its file, or its address in a shared backend. */
    readonly where: string,
    message: string,
    hint: string,
  ) {
    super(code, message, hint);
    this.name = "RecordError";
  }
}

/**
 * A listing from one read per record (a read returns undefined for a record removed meanwhile): the
 * records in the kind's order, and an error for each one that could not be read (it is skipped).
 */
export function collectListing<T>(
  kind: RecordKind<T>,
  reads: Iterable<() => T | undefined>,
): RecordListing<T> {
  const listing: RecordListing<T> = { records: [], unreadable: [] };
  for (const read of reads) {
    try {
      const record = read();
      if (record !== undefined) listing.records.push(record);
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
      listing.unreadable.push(error);
    }
  }
  listing.records.sort(kind.order);
  return listing;
}

/**
 * What `read` returns, or `fallback` when the record exists but cannot be read: for passes over many
 * records (the reaper's), where one damaged record must not stop the others. `ps` names such records.
 */
export function orIfUnreadable<T, F>(read: () => T, fallback: F): T | F {
  try {
    return read();
  } catch (error) {
    if (error instanceof RecordError) return fallback;
    throw error;
  }
}
