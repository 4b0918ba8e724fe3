// The one classifier of a failure: what the failed resources' providers said (the messages exactly as
// the engine reported them, see engine/errors.ts failureMessages) read through the declared error
// table. Every reader of a cloud's error goes through here: the failover loop, the hints the CLI
// prints under an engine error, the failure report.
import { classifyCloudError, ERROR_TABLE, type ErrorEntry, type ErrorKind } from "./error-table.js";

export interface ClassifiedFailure {
  entry: ErrorEntry | null;
  code: string | null;
  /** The message the row matched, once; without a match, every message. */
  message: string;
}

/**
 * The table row for a failure of one or more resources. Rows keep their precedence across messages:
 * when two resources failed differently, the row that comes first in the table wins, exactly as if
 * both messages were one text.
 */
export function classifyFailure(messages: readonly string[], cloud?: string): ClassifiedFailure {
  let best: (ClassifiedFailure & { entry: ErrorEntry; row: number }) | undefined;
  for (const message of messages) {
    const { entry, code } = classifyCloudError(message, cloud);
    if (entry === null) continue;
    const row = ERROR_TABLE.indexOf(entry);
    if (best === undefined || row < best.row) best = { entry, code, message, row };
  }
  if (best === undefined) return { entry: null, code: null, message: messages.join("\n") };
  return { entry: best.entry, code: best.code, message: best.message };
}

const HINTS: Record<ErrorKind, string> = {
  capacity: "the cloud has no capacity for this offer; try another region or instance type",
  quota: "raise the quota in the cloud console, or ask for fewer resources",
  credentials: "check the cloud credentials (`dstack doctor` shows what is configured)",
  invalid: "the cloud rejected the request's parameters; report this with the message above",
  transient: "the cloud throttled the requests; try again in a minute",
};

/** What the user could do about a failure, by its kind; undefined when the table does not know it. */
export function failureHint(messages: readonly string[], cloud?: string): string | undefined {
  const { entry } = classifyFailure(messages, cloud);
  return entry === null ? undefined : HINTS[entry.kind];
}
