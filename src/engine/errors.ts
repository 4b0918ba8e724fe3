// Typed engine errors with stable codes. The engine layer knows only engine-level facts (a lock, a
// cancellation, a missing stack, a missing CLI, a failed operation) and keeps the engine's own
// diagnostics; what a cloud's message means is for the planner's error table (classify-failure.ts).
import { UserError } from "../errors.js";
import { resourceDiagnostics, type EngineDiagnostic } from "./diagnostics.js";

export type EngineErrorCode =
  "locked" | "cancelled" | "stack-not-found" | "already-exists" | "cli-missing" | "failed";

export type EngineOperation = "open" | "preview" | "up" | "destroy" | "refresh" | "remove" | "clear-pending";

/** How an operation is named in what the user reads: `the pool-local update failed`. */
export const OPERATION_NOUN: Record<EngineOperation, string> = {
  open: "opening",
  preview: "preview",
  up: "update",
  destroy: "destroy",
  refresh: "refresh",
  remove: "removal",
  "clear-pending": "clean-up of pending operations",
};

/** A failed operation as the engine reported it. */
export interface EngineFailure {
  operation: EngineOperation;
  /** The error diagnostics of the operation's events (diagnostics.ts); empty when it sent none. */
  diagnostics: readonly EngineDiagnostic[];
  /**
   * The CLI's stderr, or the error's message: the only account of a failure that comes with no
   * events (before the engine starts, a lock conflict, a cancellation).
   */
  raw: string;
}

export class EngineError extends UserError {
  constructor(
    readonly engineCode: EngineErrorCode,
    summary: string,
    readonly failure: EngineFailure,
    hint?: string,
  ) {
    // The engine's own words belong in what the user reads, not only in the report.
    const detail = failureDetail(failure);
    super(
      `engine-${engineCode}`,
      detail === "" ? summary : `${summary}:\n${detail.replace(/^/gm, "  ")}`,
      hint,
      // Cancelled by Ctrl-C: the shell's convention for an interrupted command.
      engineCode === "cancelled" ? 130 : 1,
    );
    this.name = "EngineError";
  }
}

/** The first lines of raw CLI output that say what went wrong, without the CLI's boilerplate. */
export function engineDetail(text: string): string {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter(
      (l) =>
        l !== "" &&
        !/^(code|stdout|stderr|err\?):/.test(l) &&
        !l.startsWith("Updating (") &&
        !l.startsWith("View in Browser"),
    );
  const errorLines = lines.filter((l) => /error/i.test(l));
  return (errorLines.length > 0 ? errorLines : lines).slice(0, 6).join("\n");
}

const said = (ds: readonly EngineDiagnostic[]): EngineDiagnostic[] => ds.filter((d) => d.message !== "");

/**
 * What failed, in the words of whoever failed: the messages of the failed resources exactly as their
 * providers gave them; without any, the stack's own errors (a program's exception); without events,
 * the error lines of the raw output; without those, the error's own summary. A failure that is not
 * the engine's is its message.
 */
export function failureMessages(error: unknown): string[] {
  if (error instanceof EngineError) {
    const messages = engineMessages(error.failure);
    return messages.length > 0 ? messages : [error.message];
  }
  return [error instanceof Error ? error.message : String(error)];
}

function engineMessages({ diagnostics, raw }: EngineFailure): string[] {
  const resources = said(resourceDiagnostics(diagnostics));
  if (resources.length > 0) return [...new Set(resources.map((d) => d.message))];
  const own = said(diagnostics);
  if (own.length > 0) return [...new Set(own.map((d) => d.message))];
  const detail = engineDetail(raw);
  return detail === "" ? [] : [detail];
}

const label = (d: EngineDiagnostic): string =>
  d.name === undefined ? (d.type ?? "") : `${d.name} (${d.type ?? "?"})`;

/** The failure for people: each failed resource with its provider's message, once; else the messages. */
export function failureDetail(failure: EngineFailure): string {
  const resources = resourceDiagnostics(failure.diagnostics);
  if (resources.length > 0)
    return resources
      .map((d) => `${label(d)}: ${d.message === "" ? `${d.op ?? "operation"} failed` : d.message}`)
      .join("\n");
  return engineMessages(failure).join("\n");
}

/**
 * The raw account of a thrown error: a CommandError's stderr (its message also repeats the command's
 * stdout and exit code), else the message.
 */
export function rawOutput(error: unknown): string {
  if (typeof error === "object" && error !== null && "commandResult" in error) {
    const result: unknown = error.commandResult;
    if (typeof result === "object" && result !== null && "stderr" in result) {
      const stderr = result.stderr;
      if (typeof stderr === "string" && stderr.trim() !== "") return stderr;
    }
  }
  return error instanceof Error ? error.message : String(error);
}
