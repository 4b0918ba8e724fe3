// Deterministic identifiers: every generated id, number and address is a hash of what makes it unique
// (the store's counter, a region, a name), so a fresh fake cloud directory always yields the same ids.
import { createHash } from "node:crypto";

function digest(seed: string): string {
  return createHash("sha256").update(seed).digest("hex");
}

/** `n` lowercase hex characters (n <= 64). */
export function hexOf(seed: string, n: number): string {
  return digest(seed).slice(0, n);
}

/** `n` decimal digits, never starting with 0 (GCP's numeric instance ids). */
export function digitsOf(seed: string, n: number): string {
  const hex = digest(seed) + digest(`${seed}#`);
  let out = "";
  for (let i = 0; out.length < n; i += 2) out += String(parseInt(hex.slice(i, i + 2), 16) % 10);
  return (out[0] === "0" ? "1" : out[0]) + out.slice(1, n);
}

/** A UUID-shaped string (version 4 layout) from a seed. */
export function uuidOf(seed: string): string {
  const h = digest(seed);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The autoname Pulumi's providers give a resource whose name property is not set: `<logical>-<7 hex>`. */
export function autoName(logicalName: string, seed: string): string {
  return `${logicalName}-${hexOf(seed, 7)}`;
}
