// A record's text and back: JSON with `record_version` first, checked against its kind's schema both
// ways. Reading refuses a record of a newer version (an older dstack must not misread or overwrite it)
// and reads one without a version as version 1 (written before records were versioned). Shared by
// every RecordStore implementation, so the files and a later shared backend agree on the format.
import { dottedPath } from "../compiler/diagnostics.js";
import { RecordError, type RecordKind } from "./record-store.js";
import type { z } from "zod";

export const VERSION_KEY = "record_version";

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function problemsOf(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = dottedPath(issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)));
      return `${path === "" ? "" : `${path}: `}${issue.message.replace(/^Invalid input: /, "")}`;
    })
    .concat(error.issues.length > 5 ? [`and ${error.issues.length - 5} more`] : [])
    .join("; ");
}

function invalid<T>(kind: RecordKind<T>, where: string, problem: string): RecordError {
  return new RecordError(
    "record-invalid",
    where,
    `cannot read the ${kind.noun} record ${where}: ${problem}`,
    `it was changed outside dstack: restore it, or remove it (${kind.whenRemoved})`,
  );
}

/** The record in `text`, read from `where`; a RecordError when it is not one this dstack can use. */
export function decodeRecord<T>(kind: RecordKind<T>, text: string, where: string): T {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw invalid(kind, where, `not JSON (${reason})`);
  }
  if (!isObject(data)) throw invalid(kind, where, "not a JSON object");
  const { [VERSION_KEY]: version = 1, ...fields } = data;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1)
    throw invalid(
      kind,
      where,
      `${VERSION_KEY}: expected a positive integer, found ${JSON.stringify(version)}`,
    );
  if (version > kind.version)
    throw new RecordError(
      "record-newer",
      where,
      `the ${kind.noun} record ${where} was written by a newer dstack (record version ${version}; this dstack reads up to ${kind.version})`,
      "upgrade dstack to use it",
    );
  // Version 1 is the only one so far; a version 2 adds the upgrade of older records here.
  const parsed = kind.schema.safeParse(fields);
  if (!parsed.success) throw invalid(kind, where, problemsOf(parsed.error));
  return parsed.data;
}

/** The text of a record; an invalid one is a bug in dstack (it would not read back), thrown as such. */
export function encodeRecord<T>(kind: RecordKind<T>, record: T): string {
  const parsed = kind.schema.safeParse(record);
  if (!parsed.success)
    throw new Error(`refusing to write an invalid ${kind.noun} record: ${problemsOf(parsed.error)}`);
  return `${JSON.stringify({ [VERSION_KEY]: kind.version, ...parsed.data }, null, 2)}\n`;
}
