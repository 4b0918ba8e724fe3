// Helpers for kinds' render functions: generated values are unknown while a create is previewed.
import type { Ident } from "./kind.js";
import { UNKNOWN, type Json } from "./values.js";

/** `make(ident)` once the resource exists; the engine's unknown while previewing its create. */
export function generated(ident: Ident | null, make: (ident: Ident) => Json): Json {
  return ident === null ? UNKNOWN : make(ident);
}

/** The last segment of a self link or path: `.../zones/us-central1-a/disks/d1` -> `d1`. */
export function basename(value: string): string {
  return value.split("/").pop() ?? value;
}
