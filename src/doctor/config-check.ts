// ~/.dstack/config.yml decision: absent is fine (defaults apply); a file that does not parse or has
// wrong values is an error pointing at FILE:LINE:COL.
import type { Diagnostic } from "../compiler/diagnostics.js";
import { check, type Check } from "./check.js";
import type { DstackConfig } from "../home/dstack-config.js";
import type { ShowPath } from "./cloud-checks.js";

function oneLine(d: Diagnostic, show: ShowPath): string {
  const p = d.position;
  const where = p === null ? "" : p.line > 0 ? `${show(p.file)}:${p.line}:${p.col}: ` : `${show(p.file)}: `;
  return `${where}${d.path === "" ? "" : `${d.path}: `}${d.message}`;
}

export function configCheck(c: DstackConfig, show: ShowPath): Check {
  const file = show(c.file);
  if (!c.present)
    return check(
      "dstack-config",
      "missing",
      `${file} not present: the local backend and the clouds' own settings apply`,
      "optional: list backends there, e.g. `backends: [{type: aws, regions: [us-east-1]}]`",
    );
  const errors = c.diagnostics.filter((d) => d.severity === "error");
  const worst = errors[0] ?? c.diagnostics[0];
  if (worst !== undefined) {
    const more = c.diagnostics.length > 1 ? ` (and ${c.diagnostics.length - 1} more)` : "";
    return check(
      "dstack-config",
      errors.length > 0 ? "error" : "warning",
      `${oneLine(worst, show)}${more}`,
      worst.hint ?? `fix ${file}`,
    );
  }
  const listed = c.backends.map((b) => b.type).join(", ");
  return check(
    "dstack-config",
    "ok",
    `${file}: ${listed === "" ? "no backends listed" : `backends ${listed}`}`,
  );
}
