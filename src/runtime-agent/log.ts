// One line per event on stderr with an ISO timestamp. Callers never pass env values or credentials.

export function log(message: string): void {
  process.stderr.write(`${new Date().toISOString()} dstack-agent: ${message}\n`);
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
