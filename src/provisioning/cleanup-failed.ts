// A failed attempt whose instance could not be removed again: provisioning stops there rather than pile
// up more attempts, and says what may be left.
import { UserError } from "../errors.js";

/** A failed create could not be undone: stop provisioning rather than pile up more attempts. */
export class CleanupFailed extends UserError {
  constructor(
    readonly instance: string,
    readonly attemptError: unknown,
    cleanupError: unknown,
    /** Where what may be left is listed, when not in the local pool (a fleet's stack). */
    where?: string,
  ) {
    const why = (e: unknown): string => (e instanceof Error ? e.message : String(e));
    super(
      "cleanup-failed",
      `instance ${instance} failed (${why(attemptError).split("\n")[0] ?? ""}) and could not be removed again: ${why(cleanupError)}`,
      where ??
        `it stays listed in ~/.dstack/pools/local.json and may stay in Docker (docker ps -a --filter label=dstack.instance=${instance}); the next dstack command (apply, ps, stop) removes it once this one has exited`,
    );
  }
}
