// The failover loop: try the attempts of the plan in order, each under its own deadline, read every
// failure through the error table, move on (next zone, region or backend) or stop, and when the plan is
// exhausted either fail with the report or, under `retry` on no-capacity, wait and plan again. Effects
// (creating an instance, the clock, sleeping) are injected, so the loop runs in unit tests as is.
import { setTimeout as delay } from "node:timers/promises";
import type { RetrySpec } from "../compiler/spec.js";
import { failureMessages } from "../engine/errors.js";
import { UserError } from "../errors.js";
import type { Attempt } from "../planner/attempt-plan.js";
import {
  attemptFailedLine,
  attemptStartLine,
  attemptSucceededLine,
  formatWait,
  type NextStep,
} from "../planner/attempt-text.js";
import { failureOutcome, isNextZone, nextAttemptIndex, retryWaitMs } from "../planner/failover.js";
import { renderFailureReport, type FailedTry } from "../planner/failure-report.js";
import { CleanupFailed } from "./cleanup-failed.js";
import { cancelled, type CancelledSubject } from "./cancelled.js";

export interface ProvisionDeps<T> {
  /** The attempts of one pass, planned afresh before each pass (offers may change). */
  plan: () => readonly Attempt[];
  /**
   * Create the instance of one attempt. Must leave nothing behind when it throws, and stop (then
   * clean up) when `signal` aborts: the user's Ctrl-C or the attempt's deadline.
   */
  attempt: (attempt: Attempt, signal: AbortSignal) => Promise<T>;
  progress: (line: string) => void;
  /** Where the loop is (an attempt starts, a wait begins): a pending run's record follows it. */
  onState?: (state: ProvisionState) => void;
  now?: () => number;
  /** Resolves after `ms`, rejects when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface ProvisionPolicy {
  /** The user's cancellation (Ctrl-C). */
  signal?: AbortSignal;
  /** What a Ctrl-C leaves undone, for its message: `the run vscode was not submitted`. */
  subject?: CancelledSubject;
  /** Each attempt is cancelled after this long. */
  attemptTimeoutMs: number;
  retry: RetrySpec | null;
  /** Epoch ms: `retry.duration` counts from here. */
  submittedAt: number;
  /** Multiplies every wait (backoff and throttling); 1 in real use. */
  backoffScale: number;
  /**
   * `apply -d`: once a pass ends for lack of capacity and `retry` would wait, throw HandedOff instead
   * of waiting here, so that a background process carries on (with `resume`).
   */
  handOff?: boolean;
  /** Carry on an earlier loop: its next pass, the attempts it made, and when that pass may start. */
  resume?: { pass: number; attempts: number; startAt: number };
}

export type ProvisionState =
  | { kind: "attempting"; pass: number; attempts: number; attempt: Attempt }
  | { kind: "waiting"; pass: number; attempts: number; nextTryAt: number; reason: string };

type Waiting = Extract<ProvisionState, { kind: "waiting" }>;

/** Thrown (under `handOff`) where the loop would wait for capacity: what a background process resumes. */
export class HandedOff extends Error {
  constructor(
    readonly waiting: Waiting,
    readonly tries: FailedTry[],
  ) {
    super(`no capacity yet: retrying from pass ${waiting.pass + 1} is handed off`);
  }
}

export interface Provisioned<T> {
  value: T;
  attempt: Attempt;
  /** Every failed try before the one that succeeded. */
  tries: FailedTry[];
  passes: number;
}

/** Throttled attempts are tried again this often, after 5 s, then 10 s (times the scale). */
const TRANSIENT_RETRIES = 2;

export class ProvisionFailed extends UserError {
  constructor(
    readonly tries: FailedTry[],
    readonly passes: number,
    readonly stopped: boolean,
  ) {
    const last = tries.filter((t) => (t.pass ?? 1) === passes);
    const head =
      passes > 1
        ? `no capacity after ${passes} passes over the offers (retry on no-capacity); the last pass:\n`
        : "";
    super(stopped ? "provisioning-stopped" : "no-capacity", `${head}${renderFailureReport(last).trim()}`);
  }
}

const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  delay(ms, undefined, signal === undefined ? {} : { signal });

/** A function, not `signal.aborted` inline: TypeScript would narrow it to false after the first check. */
const aborted = (signal: AbortSignal | undefined): boolean => signal?.aborted === true;

export async function provision<T>(deps: ProvisionDeps<T>, policy: ProvisionPolicy): Promise<Provisioned<T>> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? defaultSleep;
  const user = policy.signal;
  const waitOrCancel = async (ms: number): Promise<void> => {
    try {
      await sleep(ms, user);
    } catch (error) {
      if (aborted(user)) throw cancelled(policy.subject);
      throw error;
    }
  };
  const tries: FailedTry[] = [];
  let attempts = policy.resume?.attempts ?? 0;
  if (policy.resume !== undefined && policy.resume.startAt > now())
    await waitOrCancel(policy.resume.startAt - now());
  for (let pass = policy.resume?.pass ?? 1; ; pass++) {
    const plan = deps.plan();
    const passTries: FailedTry[] = [];
    let transient = 0;
    for (let i = 0; i < plan.length;) {
      const attempt = plan[i]!;
      if (aborted(user)) throw cancelled(policy.subject);
      attempts++;
      deps.onState?.({ kind: "attempting", pass, attempts, attempt });
      if (plan.length > 1 || pass > 1) deps.progress(attemptStartLine(attempt, plan.length));
      const deadline = AbortSignal.timeout(policy.attemptTimeoutMs);
      const signal = user === undefined ? deadline : AbortSignal.any([user, deadline]);
      try {
        const value = await deps.attempt(attempt, signal);
        if (plan.length > 1 || pass > 1)
          deps.progress(attemptSucceededLine(attempt, plan.length, "provisioned"));
        return { value, attempt, tries, passes: pass };
      } catch (error) {
        // Ctrl-C: the attempt has cleaned up after itself; say so with the shell's exit code.
        if (aborted(user)) throw cancelled(policy.subject);
        if (error instanceof CleanupFailed) throw error;
        // The cloud's own words, from the engine's diagnostics of the failed resources.
        const outcome = failureOutcome(failureMessages(error), attempt.backend, deadline.aborted);
        const failed: FailedTry = {
          attempt,
          code: outcome.code,
          message: outcome.message,
          decision: outcome.decision,
          pass,
        };
        tries.push(failed);
        passTries.push(failed);
        let next: NextStep;
        let index: number;
        if (outcome.decision === "retry" && transient < TRANSIENT_RETRIES) {
          transient++;
          next = { kind: "retry", waitMs: 5000 * transient * policy.backoffScale };
          index = i;
        } else {
          const decision = outcome.decision === "retry" ? "next-zone" : outcome.decision;
          index = nextAttemptIndex(plan, i, decision);
          next =
            decision === "stop"
              ? { kind: "stop" }
              : index >= plan.length
                ? { kind: "none" }
                : isNextZone(plan, i, index)
                  ? { kind: "zone" }
                  : { kind: "offer" };
          transient = 0;
        }
        deps.progress(attemptFailedLine(attempt, plan.length, outcome, next, policy.attemptTimeoutMs));
        if (next.kind === "stop") throw new ProvisionFailed(tries, pass, true);
        if (next.kind === "retry") await waitOrCancel(next.waitMs);
        i = index;
      }
    }
    const wait = retryWaitMs(passTries, {
      retry: policy.retry,
      submittedAt: policy.submittedAt,
      now: now(),
      retryNumber: pass,
      scale: policy.backoffScale,
    });
    if (wait === null) throw new ProvisionFailed(tries, pass, false);
    const waiting: Waiting = {
      kind: "waiting",
      pass,
      attempts,
      nextTryAt: now() + wait,
      reason: "no capacity",
    };
    if (policy.handOff === true) throw new HandedOff(waiting, tries);
    deps.onState?.(waiting);
    const left = policy.submittedAt + (policy.retry?.duration ?? 0) * 1000 - now();
    deps.progress(
      `No capacity in this pass (${plan.length} attempt${plan.length === 1 ? "" : "s"}); retrying in ${formatWait(wait)} (retry ${pass}, ${formatWait(left)} of retry.duration left)`,
    );
    await waitOrCancel(wait);
  }
}
