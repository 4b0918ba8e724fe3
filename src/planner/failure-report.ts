// The failure report: when every attempt failed, what was tried, what each cloud said, and what the
// user could relax. The text is for people; the JSON (`--json`) carries the same facts in full.
import type { Attempt } from "./attempt-plan.js";
import { ERROR_TABLE, type ErrorKind } from "./error-table.js";
import { formatPrice, textTable } from "../text-table.js";

export interface FailedTry {
  attempt: Attempt;
  /** From classifyFailure (or ATTEMPT_TIMEOUT); null when no message matched a row of the table. */
  code: string | null;
  /** What the cloud said, once: the failed resource's message as the engine gave it. */
  message: string;
  decision: string;
  /** Which pass over the plan (1 = the first; later ones come from `retry` on no-capacity). */
  pass?: number;
}

/** The code of an attempt cancelled at its own deadline (not a cloud's code). */
export const ATTEMPT_TIMEOUT = "AttemptTimeout";

const MAX_SUMMARY = 120;

/**
 * The informative line of a Pulumi error: the `error: 1 error occurred:` / `* ` wrapping dropped, and
 * the SDK preamble cut where the cloud's own sentence starts (AWS after `api error CODE: `, GCP after
 * `googleapi: Error NNN: `, Azure inside `Message="..."`).
 */
export function summarizeMessage(message: string, code: string | null): string {
  const lines = message
    .split("\n")
    .map((l) =>
      l
        .trim()
        .replace(/^\*\s*/, "")
        .replace(/^error:\s*/, ""),
    )
    .filter((l) => l !== "" && !/^\d+ errors? occurred:?$/.test(l));
  let line = (code === null ? undefined : lines.find((l) => l.includes(code))) ?? lines[0] ?? "";
  const aws = code === null ? -1 : line.indexOf(`api error ${code}: `);
  const gcp = /googleapi: Error \d+: /.exec(line);
  const azure = /Message="([^"]*)"?/.exec(line);
  if (aws >= 0) line = line.slice(aws + `api error ${code}: `.length);
  else if (gcp !== null) line = line.slice(gcp.index + gcp[0].length);
  else if (azure?.[1] !== undefined) line = azure[1];
  return line.length <= MAX_SUMMARY ? line : `${line.slice(0, MAX_SUMMARY - 1)}…`;
}

/** The kind of a reported code, read back from the table (the code of a row, or text its pattern matches). */
export function kindOfCode(code: string | null): ErrorKind | null {
  if (code === null) return null;
  return ERROR_TABLE.find((e) => e.code === code || e.match.test(code))?.kind ?? null;
}

/** What the user could change for the next apply to succeed, derived from how the attempts failed. */
export function relaxHints(tries: readonly FailedTry[]): string[] {
  if (tries.length === 0)
    return ["No offer was tried: relax the resources or backends so that some offer matches."];
  const kinds = tries.map((t) => kindOfCode(t.code));
  const has = (k: ErrorKind): boolean => kinds.includes(k);
  const hints: string[] = [];
  if (has("credentials"))
    hints.push("A backend rejected its credentials: fix them (see `dstack doctor`) before trying again.");
  if (has("invalid"))
    hints.push("A cloud rejected the request's parameters: report this with the message above.");
  if (has("quota")) {
    const codes = [...new Set(tries.filter((t) => kindOfCode(t.code) === "quota").map((t) => t.code))];
    hints.push(
      `Quota exceeded (${codes.join(", ")}): ask the cloud for a quota raise, or request fewer GPUs.`,
    );
  }
  const capacity = tries.filter((t) => kindOfCode(t.code) === "capacity");
  if (capacity.length > 0) {
    if (capacity.length === tries.length)
      hints.push(
        "No capacity anywhere tried: allow more regions, backends or GPU types, or add `retry` to wait for capacity.",
      );
    else hints.push("Some offers had no capacity: allowing more regions or backends widens the search.");
    if (tries.every((t) => t.attempt.spot))
      hints.push("Only spot was tried: `spot_policy: auto` falls back to on-demand.");
  }
  if (tries.some((t) => t.code === ATTEMPT_TIMEOUT))
    hints.push(
      "Some attempts did not finish within their deadline and were cancelled (DSTACK_ATTEMPT_TIMEOUT, default 10m): the cloud may have been retrying a capacity error.",
    );
  if (tries.some((t) => t.code !== ATTEMPT_TIMEOUT && kindOfCode(t.code) === null))
    hints.push("Some errors are not recognised: see their messages above.");
  if (has("transient") && hints.length === 0)
    hints.push("The clouds throttled the requests: try again later.");
  return hints;
}

export function renderFailureReport(tries: readonly FailedTry[]): string {
  const rows = [
    ["#", "BACKEND", "REGION", "ZONE", "INSTANCE", "SPOT", "PRICE", "ERROR", "MESSAGE"],
    ...tries.map((t) => [
      String(t.attempt.n),
      t.attempt.backend,
      t.attempt.region,
      t.attempt.zone ?? "-",
      t.attempt.instance_type,
      t.attempt.spot ? "spot" : "on-demand",
      formatPrice(t.attempt.price),
      t.code ?? "-",
      summarizeMessage(t.message, t.code),
    ]),
  ];
  const head = ` Provisioning failed: ${tries.length} attempt${tries.length === 1 ? "" : "s"} failed.`;
  const hints = relaxHints(tries).map((h) => ` Could relax: ${h}`);
  return [head, "", ...(tries.length > 0 ? [textTable(rows), ""] : []), ...hints].join("\n");
}

/** The same report for `--json`: every try with its full message, and the hints. */
export function failureReportJson(tries: readonly FailedTry[]): {
  tries: Record<string, unknown>[];
  relax: string[];
} {
  return {
    tries: tries.map((t) => ({
      n: t.attempt.n,
      backend: t.attempt.backend,
      region: t.attempt.region,
      zone: t.attempt.zone,
      instance_type: t.attempt.instance_type,
      spot: t.attempt.spot,
      price: t.attempt.price,
      code: t.code,
      kind: kindOfCode(t.code),
      decision: t.decision,
      message: t.message,
      ...(t.pass === undefined ? {} : { pass: t.pass }),
    })),
    relax: relaxHints(tries),
  };
}
