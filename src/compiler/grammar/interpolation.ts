// `${{ namespace.name }}` expressions, read the way dstack's VariablesInterpolator reads them
// (utils/interpolator.py): `$$` is an escaped `$`, a name is `ns.name` (letters, digits, _ and dots,
// exactly one dot), an unclosed `${{` is an error. Namespaces that are resolved later (dstack's
// "skip": secrets on the server, node-group IPs once nodes exist) are kept exactly as written.
import { fail, ok, type Parsed } from "./result.js";

export interface InterpolationScope {
  /** Values known now, by full name (`run.args`). */
  values: Readonly<Record<string, string>>;
  /** Namespaces resolved later, each with the check a name in it must pass. */
  deferred?: Readonly<Record<string, (name: string) => boolean>>;
}

export interface Interpolated {
  text: string;
  /** Well-formed names that are neither known nor deferred, in order. */
  missing: string[];
  /** Deferred names that were kept, in order. */
  deferred: string[];
}

const OPEN = "${{";
const CLOSE = "}}";
const FIRST = /[A-Za-z_]/;
const CHAR = /^[A-Za-z0-9_.]+$/;

/** The namespace of a name: `groups[0].nodes[0].IP_ADDRESS` -> groups. */
export function namespaceOf(name: string): string {
  return name.split(".")[0]!.split("[")[0]!;
}

/** dstack's plain name rule: `ns.name`, one dot, each side starting with a letter or _. */
export function isPlainName(name: string): boolean {
  const dot = name.indexOf(".");
  if (dot <= 0 || dot !== name.lastIndexOf(".") || dot === name.length - 1) return false;
  return FIRST.test(name[0]!) && FIRST.test(name[dot + 1]!) && CHAR.test(name);
}

export function interpolate(s: string, scope: InterpolationScope): Parsed<Interpolated> {
  const out: string[] = [];
  const missing: string[] = [];
  const kept: string[] = [];
  let start = 0;
  // The same scan as dstack's, quirks included: only the first `$` after `start` decides whether an
  // escape (`$$`) or an expression comes next, so the result is the one dstack computes.
  while (start < s.length) {
    const dollar = s.indexOf("$", start);
    if (dollar === -1 || dollar === s.length - 1) {
      out.push(s.slice(start));
      break;
    }
    if (s[dollar + 1] === "$") {
      out.push(s.slice(start, dollar + 1));
      start = dollar + 2;
      continue;
    }
    const opening = s.indexOf(OPEN, start);
    if (opening === -1) {
      out.push(s.slice(start));
      break;
    }
    out.push(s.slice(start, opening));
    const closing = s.indexOf(CLOSE, opening);
    if (closing === -1)
      return fail(
        `"${s.slice(opening)}" opens \${{ without a closing }}`,
        "close it with }}, or write $${{ for a literal ${{",
      );
    const name = s.slice(opening + OPEN.length, closing).trim();
    const check = scope.deferred?.[namespaceOf(name)];
    if (check !== undefined) {
      if (!check(name)) return fail(`\${{ ${name} }} is not a valid reference`);
      out.push(s.slice(opening, closing + CLOSE.length));
      kept.push(name);
    } else if (!isPlainName(name)) {
      return fail(
        `\${{ ${name} }} is not a valid reference`,
        "write ${{ namespace.name }}, e.g. ${{ run.args }}",
      );
    } else if (name in scope.values) {
      out.push(scope.values[name]!);
    } else {
      missing.push(name);
    }
    start = closing + CLOSE.length;
  }
  return ok({ text: out.join(""), missing, deferred: kept });
}

/**
 * Text that reads back as `text` through `interpolate`: itself when nothing in it would be taken as an
 * escape or an expression, else every `$` doubled (so a rendered configuration compiles to the same spec).
 */
export function escapeInterpolation(text: string, scope: InterpolationScope): string {
  const read = interpolate(text, scope);
  if (read.ok && read.value.text === text && read.value.missing.length === 0) return text;
  return text.replace(/\$/g, "$$$$");
}
