// Input validation for `check`: collect every failure (never stop at the first), each naming the
// property by its path. A value the engine does not know yet (preview) passes every test: it is checked
// again once known, before create.
import { isObject, isUnknown, type Json, type JsonObject } from "./values.js";

export interface CheckFailure {
  property: string;
  reason: string;
}

type Kind = "string" | "number" | "boolean" | "array" | "object";

function kindOf(value: Json): Kind | "null" {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value as Kind;
}

/** The value at `a.b[0].c` (or undefined when any step is missing). */
export function valueAt(root: JsonObject, path: string): Json | undefined {
  let cur: Json | undefined = root;
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) cur = Array.isArray(cur) ? cur[Number(m[2])] : undefined;
    else cur = isObject(cur) ? cur[m[1] ?? ""] : undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

export class Checker {
  readonly failures: CheckFailure[] = [];

  constructor(readonly inputs: JsonObject) {}

  fail(property: string, reason: string): void {
    this.failures.push({ property, reason });
  }

  get(path: string): Json | undefined {
    return valueAt(this.inputs, path);
  }

  /** Present (not undefined/null) and, when known, of the given JSON type. */
  required(path: string, kind: Kind): void {
    const value = this.get(path);
    if (value === undefined || value === null) this.fail(path, `required property "${path}" is missing`);
    else this.type(path, kind);
  }

  /** When present and known, of the given JSON type. */
  type(path: string, kind: Kind): void {
    const value = this.get(path);
    if (value === undefined || value === null || isUnknown(value)) return;
    const actual = kindOf(value);
    if (actual !== kind) this.fail(path, `"${path}" must be a ${kind}, not a ${actual}`);
  }

  /** When present and known, one of the listed strings. */
  oneOf(path: string, allowed: readonly string[]): void {
    const value = this.get(path);
    if (typeof value !== "string" || isUnknown(value)) return;
    if (!allowed.includes(value))
      this.fail(path, `"${path}" is "${value}"; expected one of ${allowed.map((a) => `"${a}"`).join(", ")}`);
  }

  /** When present and known, a positive integer. */
  positiveInt(path: string): void {
    const value = this.get(path);
    if (typeof value !== "number") return this.type(path, "number");
    if (!Number.isInteger(value) || value <= 0) this.fail(path, `"${path}" must be a positive integer`);
  }

  /**
   * A size limit in bytes. `encoding` says how the value is written: `raw` (UTF-8 text, measured as
   * is) or `base64` (measured decoded; an invalid base64 string fails too).
   */
  maxBytes(path: string, limit: number, encoding: "raw" | "base64", what: string): void {
    const value = this.get(path);
    if (typeof value !== "string" || isUnknown(value)) return;
    if (encoding === "base64" && !/^[A-Za-z0-9+/]*={0,2}$/.test(value.replace(/\s/g, ""))) {
      this.fail(path, `"${path}" must be base64-encoded`);
      return;
    }
    const size = encoding === "raw" ? Buffer.byteLength(value, "utf8") : Buffer.from(value, "base64").length;
    if (size > limit)
      this.fail(
        path,
        `${what} is ${size} bytes${encoding === "base64" ? " decoded" : ""}, over the limit of ${limit} bytes`,
      );
  }
}
