// Run a grammar parser on one raw field and report its failure at the field's position.
import type { DiagnosticBag, Path } from "../diagnostics.js";
import type { Parsed } from "../grammar/result.js";

/** The parsed value, or undefined when the field is absent, already reported, or invalid (then reported). */
export function parseField<T>(
  bag: DiagnosticBag,
  path: Path,
  raw: unknown,
  parse: (raw: unknown) => Parsed<T>,
): T | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (bag.hasErrorAt(path)) return undefined;
  const result = parse(raw);
  if (result.ok) return result.value;
  bag.error({ code: "invalid-value", path, message: result.message, hint: result.hint });
  return undefined;
}

export type RawObject = Record<string, unknown>;

export function asObject(raw: unknown): RawObject {
  return raw !== null && typeof raw === "object" && !Array.isArray(raw) ? (raw as RawObject) : {};
}

export function stringsOf(raw: unknown): string[] | undefined {
  return Array.isArray(raw) && raw.every((x) => typeof x === "string") ? raw : undefined;
}

export function stringOf(raw: unknown): string | undefined {
  return typeof raw === "string" ? raw : undefined;
}

export function boolOf(raw: unknown): boolean | undefined {
  return typeof raw === "boolean" ? raw : undefined;
}
