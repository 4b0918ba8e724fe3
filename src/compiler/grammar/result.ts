// Grammar parsers return a value or a reason; the caller turns the reason into a positioned diagnostic.
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string; hint?: string };

export const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });

export function fail(message: string, hint?: string): { ok: false; message: string; hint?: string } {
  return hint === undefined ? { ok: false, message } : { ok: false, message, hint };
}
