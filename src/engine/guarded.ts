// Every stack operation runs guarded: its engine events are kept, a stale lock is cleared and the
// operation tried once more, and whatever the Automation API threw becomes an EngineError whose code
// comes from the SDK's typed errors and the signal, carrying the events' diagnostics unread.
import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";
import { diagnosticsFromEvents } from "./diagnostics.js";
import {
  EngineError,
  OPERATION_NOUN,
  rawOutput,
  type EngineFailure,
  type EngineOperation,
} from "./errors.js";
import { describeLock } from "./lock-info.js";
import { lockedHint, type TextLock } from "./lock-text.js";
import { loadAutomation, openStack, type RunOptions, type StackTarget } from "./open-stack.js";
import { clearStaleLocks, lockHolderOf, locksInError, type LockedStack } from "./stale-lock-retry.js";

/** One try of an operation; it hands `onEvent` to the Automation API so that a failure keeps them. */
export type Action<T> = (onEvent: (event: EngineEvent) => void, events: readonly EngineEvent[]) => Promise<T>;

export async function guarded<T>(
  target: StackTarget,
  options: RunOptions,
  operation: EngineOperation,
  action: Action<T>,
): Promise<T> {
  const attempt = async (): Promise<
    { ok: true; value: T } | { ok: false; error: unknown; events: EngineEvent[] }
  > => {
    const events: EngineEvent[] = [];
    try {
      return { ok: true, value: await action((e) => events.push(e), events) };
    } catch (error) {
      return { ok: false, error, events };
    }
  };
  const first = await attempt();
  if (first.ok) return first.value;
  if (!(await clearedStaleLock(first.error, target, options)))
    throw await engineErrorOf(first.error, first.events, operation, target, options);
  // Once only: a lock found again is someone else's, and engineErrorOf() reports it.
  const second = await attempt();
  if (second.ok) return second.value;
  throw await engineErrorOf(second.error, second.events, operation, target, options);
}

const lockedStack = (target: StackTarget): LockedStack => ({
  project: target.project,
  stack: target.stack,
  backendUrl: target.backend.url,
});

async function locksIn(error: unknown, target: StackTarget): Promise<TextLock[] | undefined> {
  const auto = await loadAutomation();
  const message = error instanceof Error ? error.message : String(error);
  return locksInError(message, error instanceof auto.ConcurrentUpdateError, target.backend.url);
}

/** A stale lock (see stale-lock-retry.ts) cleared: the caller tries once more. Never after a cancel. */
async function clearedStaleLock(error: unknown, target: StackTarget, options: RunOptions): Promise<boolean> {
  if (options.signal?.aborted === true || error instanceof EngineError) return false;
  return clearStaleLocks(
    lockedStack(target),
    await locksIn(error, target),
    async () => (await openStack(target)).cancel(),
    target.onNotice ?? options.onOutput,
  );
}

/**
 * What the Automation API threw, as an EngineError: the SDK's typed errors and the signal decide the
 * code; the diagnostics of the events and the raw output go along unread.
 */
export async function engineErrorOf(
  error: unknown,
  events: readonly EngineEvent[],
  operation: EngineOperation,
  target: StackTarget,
  options: RunOptions,
): Promise<EngineError> {
  if (error instanceof EngineError) return error;
  const auto = await loadAutomation();
  const failure: EngineFailure = {
    operation,
    diagnostics: diagnosticsFromEvents(events),
    raw: rawOutput(error),
  };
  if (options.signal?.aborted === true) {
    return new EngineError(
      "cancelled",
      `the ${target.stack} ${OPERATION_NOUN[operation]} was cancelled`,
      { ...failure, raw: "" },
      "Pulumi finished its in-flight operations, so every resource it created is recorded in the stack state",
    );
  }
  if (error instanceof auto.ConcurrentUpdateError) {
    return new EngineError(
      "locked",
      `stack ${target.stack} is locked: ${describeLock(lockHolderOf(lockedStack(target), await locksIn(error, target)))}`,
      failure,
      lockedHint(target.backend.url),
    );
  }
  if (error instanceof auto.StackNotFoundError)
    return new EngineError(
      "stack-not-found",
      `stack ${target.project}/${target.stack} does not exist`,
      failure,
    );
  if (error instanceof auto.StackAlreadyExistsError)
    return new EngineError(
      "already-exists",
      `stack ${target.project}/${target.stack} already exists`,
      failure,
    );
  if (target.backend.kind === "cloud" && /\bUnauthorized\b|problem logging in/.test(failure.raw))
    return new EngineError(
      "failed",
      `the Pulumi service at ${target.backend.url} refused the access token (the ${target.stack} ${OPERATION_NOUN[operation]} did not start; nothing was changed)`,
      failure,
      "set PULUMI_ACCESS_TOKEN to a valid token for that service (or `pulumi login URL`), then run the command again",
    );
  if (
    target.backend.kind === "cloud" &&
    /dial tcp|connection refused|no such host|i\/o timeout/.test(failure.raw)
  )
    return new EngineError(
      "failed",
      `no Pulumi service answers at ${target.backend.url} (the ${target.stack} ${OPERATION_NOUN[operation]} did not start; nothing was changed)`,
      failure,
      "check the backend URL (DSTACK_BACKEND_URL or `state: {backend}` in ~/.dstack/config.yml) and that the service is up",
    );
  return new EngineError(
    "failed",
    `the Pulumi ${OPERATION_NOUN[operation]} of ${target.stack} failed`,
    failure,
  );
}
