// The one poll helper of the tests: wait for a condition (a value the probe returns), never for a time.
// The timeout only bounds a wait that would otherwise hang; it is never what a test waits for.
import { setTimeout as delay } from "node:timers/promises";

export interface UntilOptions {
  /** Pause between probes (default 1000 ms; 100 ms for moments that last only a few seconds). */
  intervalMs?: number;
  /** A probe that throws means "not yet" (e.g. sshd not listening); the last error is named on timeout. */
  retryErrors?: boolean;
}

/** Polls `probe` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function until<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  { intervalMs = 1000, retryErrors = false }: UntilOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      if (!retryErrors) throw error;
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : "";
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await delay(intervalMs);
  }
}
