// `a..b`, `a..`, `..b`, or a scalar (an exact value: min = max), over any unit parser.
import { fail, ok, type Parsed } from "./result.js";

export interface Range {
  min: number | null;
  max: number | null;
}

export type ScalarParser = (text: string) => Parsed<number>;

/** Parse a range written as a string, a number, or an object `{min, max}`. */
export function parseRange(raw: unknown, scalar: ScalarParser, what: string, example: string): Parsed<Range> {
  if (typeof raw === "number") return exact(scalar(String(raw)));
  if (typeof raw === "object" && raw !== null && !Array.isArray(raw))
    return parseRangeObject(raw, scalar, what, example);
  if (typeof raw !== "string") return fail(`expected ${what}, e.g. ${example}`);
  const text = raw.trim();
  const dots = text.indexOf("..");
  if (dots === -1) return exact(scalar(text));
  if (text.indexOf("..", dots + 2) !== -1)
    return fail(`"${raw}" has more than one "..": write min..max`, `e.g. ${example}`);
  const left = text.slice(0, dots).trim();
  const right = text.slice(dots + 2).trim();
  if (left === "" && right === "")
    return fail(`"${raw}" has neither a minimum nor a maximum`, `e.g. ${example}`);
  const min = left === "" ? ok(null) : scalar(left);
  if (!min.ok) return min;
  const max = right === "" ? ok(null) : scalar(right);
  if (!max.ok) return max;
  return ordered({ min: min.value, max: max.value }, raw);
}

function exact(parsed: Parsed<number>): Parsed<Range> {
  return parsed.ok ? ok({ min: parsed.value, max: parsed.value }) : parsed;
}

function parseRangeObject(raw: object, scalar: ScalarParser, what: string, example: string): Parsed<Range> {
  const entries = raw as Record<string, unknown>;
  const extra = Object.keys(entries).filter((k) => k !== "min" && k !== "max");
  if (extra.length > 0) return fail(`unknown key "${extra[0]}" in a range: only min and max are allowed`);
  const side = (value: unknown): Parsed<number | null> => {
    if (value === undefined || value === null) return ok(null);
    if (typeof value !== "number" && typeof value !== "string")
      return fail(`expected ${what}, e.g. ${example}`);
    return scalar(String(value));
  };
  const min = side(entries.min);
  if (!min.ok) return min;
  const max = side(entries.max);
  if (!max.ok) return max;
  if (min.value === null && max.value === null) return fail("a range needs min, max or both");
  return ordered({ min: min.value, max: max.value }, JSON.stringify(raw));
}

function ordered(range: Range, raw: string): Parsed<Range> {
  if (range.min !== null && range.max !== null && range.min > range.max) {
    return fail(
      `"${raw}" has a minimum greater than its maximum`,
      `write the smaller value first: ${range.max}..${range.min}`,
    );
  }
  return ok(range);
}

export function formatRange(range: Range, unit = ""): string {
  if (range.min !== null && range.min === range.max) return `${range.min}${unit}`;
  return `${range.min === null ? "" : `${range.min}${unit}`}..${range.max === null ? "" : `${range.max}${unit}`}`;
}
