// Sizes in GB (a bare number is GB), counts, and durations in seconds.
import { fail, ok, type Parsed } from "./result.js";

const SIZE_UNITS: Record<string, number> = { mb: 1 / 1024, gb: 1, tb: 1024 };
const SIZE = /^(\d+(?:\.\d+)?|\.\d+)\s*(mb|gb|tb)?$/i;

/** `512MB` -> 0.5, `80GB` -> 80, `1TB` -> 1024, `24` -> 24 (GB). */
export function parseSize(text: string): Parsed<number> {
  const match = SIZE.exec(text.trim());
  if (match === null)
    return fail(`"${text}" is not a size`, "write a number of GB or a size with a unit: 512MB, 80GB, 1TB");
  const unit = (match[2] ?? "gb").toLowerCase();
  return ok(roundGb(Number(match[1]) * SIZE_UNITS[unit]!));
}

/** Keep sizes exact to the megabyte, so 512MB -> 0.5 and 100MB -> 0.09765625 without float noise. */
function roundGb(gb: number): number {
  return Math.round(gb * 1024 * 1e6) / (1024 * 1e6);
}

const COUNT = /^\d+$/;

export function parseCount(text: string): Parsed<number> {
  const trimmed = text.trim();
  if (!COUNT.test(trimmed)) return fail(`"${text}" is not a whole number`);
  return ok(Number(trimmed));
}

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const DURATION = /^(\d+)\s*([smhdw])?$/i;

export type Duration = number | "off";

/** `90s`, `30m`, `2h`, `1d`, `1w`, an integer of seconds, or `off` (also YAML false) when `allowOff`. */
export function parseDuration(raw: unknown, allowOff: boolean): Parsed<Duration> {
  const example = allowOff
    ? "90s, 30m, 2h, 1d, 1w, a number of seconds, or off"
    : "90s, 30m, 2h, 1d, 1w, or a number of seconds";
  if (raw === false || raw === "off") {
    return allowOff ? ok("off") : fail(`"off" is not allowed here`, `write a duration: ${example}`);
  }
  if (typeof raw === "number") {
    if (!Number.isInteger(raw) || raw < 0)
      return fail(`${raw} is not a whole, non-negative number of seconds`, `write ${example}`);
    return ok(raw);
  }
  if (typeof raw !== "string") return fail("expected a duration", `write ${example}`);
  const match = DURATION.exec(raw.trim());
  if (match === null) return fail(`"${raw}" is not a duration`, `write ${example}`);
  return ok(Number(match[1]) * DURATION_UNITS[(match[2] ?? "s").toLowerCase()]!);
}

export function formatDuration(value: Duration): string {
  if (value === "off") return "off";
  for (const [unit, seconds] of [
    ["w", 604800],
    ["d", 86400],
    ["h", 3600],
    ["m", 60],
  ] as const) {
    if (value !== 0 && value % seconds === 0) return `${value / seconds}${unit}`;
  }
  return `${value}s`;
}

export function formatSize(gb: number): string {
  if (gb >= 1024 && gb % 1024 === 0) return `${gb / 1024}TB`;
  if (Number.isInteger(gb)) return `${gb}GB`;
  const mb = gb * 1024;
  return Number.isInteger(mb) ? `${mb}MB` : `${gb}GB`;
}
