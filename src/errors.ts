// Typed errors with stable codes (DESIGN.md style 5): a UserError is the user's to fix and is printed as
// one message; anything else reaching the top is a bug in dstack and is reported as one.

export class UserError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
    /** Process exit code: 1 for bad input, 2 for bad usage. */
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "UserError";
  }
}

export function usageError(message: string, hint?: string): UserError {
  return new UserError("usage", message, hint, 2);
}
