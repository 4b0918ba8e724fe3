// A value that must never be printed: registry passwords and env values supplied from outside the file.
// JSON, string conversion and util.inspect all show a redaction marker; only `reveal()` gives the value.
import { inspect } from "node:util";

export const REDACTED = "***";

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return REDACTED;
  }

  toString(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return "Secret(***)";
  }
}

export type MaybeSecret = string | Secret;

export function reveal(value: MaybeSecret): string {
  return value instanceof Secret ? value.reveal() : value;
}
