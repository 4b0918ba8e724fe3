// The recovery as commands run it: a cheap look at the files first (every `ps` pays only that), and
// only when a killed dstack left something, the local backend's context and the engine. Says what it
// did (or why it could not) as a typed result. A failed recovery never fails the command that noticed it.
import { stateBackendUrl } from "../engine/state-backend.js";
import { orIfUnreadable } from "../home/record-store.js";
import { openPools, poolBackend } from "../pools/pools-context.js";
import { describeRecovery, findLeftovers, recoverPool, type Recovery } from "../pools/recover.js";

export interface RecoverInput {
  home: string;
  env: Readonly<Record<string, string | undefined>>;
  backendUrl?: string;
}

export type RecoverResult =
  { kind: "cleaned"; recovery: Recovery; text: string } | { kind: "failed"; message: string; text: string };

export async function recoverLeftovers(input: RecoverInput): Promise<RecoverResult | undefined> {
  const explicit = input.backendUrl ?? poolBackend(input.home);
  const url = stateBackendUrl({ home: input.home, env: input.env, backendUrl: explicit });
  // A pool record that cannot be read says nothing about leftovers: ps names it, and a command that
  // needs the pool refuses it.
  if (orIfUnreadable(() => findLeftovers(input.home, url), undefined) === undefined) return undefined;
  try {
    const recovery = await recoverPool(openPools({ home: input.home, env: input.env, backendUrl: explicit }));
    return recovery === undefined
      ? undefined
      : { kind: "cleaned", recovery, text: describeRecovery(recovery) };
  } catch (error) {
    const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    return {
      kind: "failed",
      message,
      text: `warning: could not clean up after an interrupted dstack (the next command tries again): ${message}`,
    };
  }
}
