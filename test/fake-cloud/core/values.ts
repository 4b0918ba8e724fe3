// The values the engine exchanges with a provider (protobuf Structs as plain JSON), and the few
// operations on them every cloud model needs: the engine's "unknown" sentinel, property paths in the
// engine's own syntax, and structural equality.

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

/**
 * What the engine sends (and accepts back) for a value not known yet: during preview, an output of a
 * resource that is still to be created. It is always this exact string (plugin.UnknownStringValue).
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/** True when the value or anything inside it is unknown. */
export function containsUnknown(value: Json | undefined): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (isObject(value)) return Object.values(value).some(containsUnknown);
  return false;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function str(value: Json | undefined): string | undefined {
  return typeof value === "string" && value !== UNKNOWN ? value : undefined;
}

export function obj(value: Json | undefined): JsonObject | undefined {
  return isObject(value) ? value : undefined;
}

export function arr(value: Json | undefined): Json[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

/** Keys the engine or a provider adds to inputs for its own bookkeeping; never part of a diff. */
export const META_KEYS: ReadonlySet<string> = new Set(["__defaults", "__meta"]);

export function withoutMeta(value: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(value).filter(([k]) => !META_KEYS.has(k)));
}

/** One step of a property path as the engine writes it: `a.b`, `a[0]`, `a["user-data"]`. */
export function pathStep(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return parent === "" ? key : `${parent}.${key}`;
  return `${parent}[${JSON.stringify(key)}]`;
}

/** The top-level property a path starts with: `metadata["user-data"]` -> `metadata`. */
export function topKey(path: string): string {
  const m = /^[^.[]+/.exec(path);
  return m === null ? path : m[0];
}

export function deepEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/** Deep copy through JSON, dropping `undefined` (protobuf Structs cannot carry it). */
export function clean<T extends Json>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** A value as message text: strings as they are, anything else as JSON ("" for undefined). */
export function text(value: Json | undefined): string {
  return typeof value === "string" ? value : (JSON.stringify(value) ?? "");
}
