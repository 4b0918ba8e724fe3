// Ctrl-C while something is being made: one error, worded for what was being made ("the run vscode was
// not submitted", "the fleet gpus was not created"), with the shell's exit code for an interrupt. The
// executor, the pool lock and the submission all throw it; nothing above them re-words it.
import { UserError } from "../errors.js";

/** What a cancellation leaves undone, e.g. `the run vscode was not submitted`. */
export type CancelledSubject = string;

export const NOTHING_CHANGED: CancelledSubject = "nothing was changed";

export function cancelled(subject: CancelledSubject = NOTHING_CHANGED, hint?: string): UserError {
  return new UserError(
    "cancelled",
    `cancelled: ${subject}`,
    hint ?? "nothing was left behind; run dstack apply again when ready",
    130,
  );
}

export const isCancelled = (error: unknown): error is UserError =>
  error instanceof UserError && error.code === "cancelled";
