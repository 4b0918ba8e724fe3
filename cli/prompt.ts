// `[y/n]` confirmation: -y skips it; without a terminal to ask on, the command refuses rather than guess.
import { createInterface } from "node:readline/promises";
import { usageError } from "../src/errors.js";

export async function confirm(question: string, yes: boolean, signal: AbortSignal): Promise<boolean> {
  if (yes) return true;
  if (process.stdin.isTTY !== true)
    throw usageError("cannot ask for confirmation: standard input is not a terminal", "pass -y to confirm");
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/n]: `, { signal });
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
