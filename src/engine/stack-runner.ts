// The thin executor over the Pulumi Automation API: inline programs, one stack per pool or volume,
// preview as a structured plan, up, destroy, refresh. @pulumi/pulumi loads only here, lazily, so
// commands that never touch the engine do not pay its ~0.8 s import.
import type * as AutomationModule from "@pulumi/pulumi/automation/index.js";
import type { EngineEvent, PulumiFn, Stack } from "@pulumi/pulumi/automation/index.js";
import { EngineError, classifyText, engineDetail } from "./errors.js";
import { describeLock } from "./lock-info.js";
import { lockedHint, type TextLock } from "./lock-text.js";
import { pulumiEnv, pulumiRoot } from "./pulumi-cli.js";
import { planFromEvents, type Plan } from "./plan.js";
import { clearStaleLocks, lockHolderOf, locksInError, type LockedStack } from "./stale-lock-retry.js";
import type { StateBackend } from "./state-backend.js";

export interface StackTarget {
  project: string;
  stack: string;
  program: PulumiFn;
  backend: StateBackend;
  /** Folder holding the `pulumi` binary (and the Node language host) at the pinned version. */
  pulumiBinDir: string;
  /** Stack configuration, e.g. the compiled spec; secret values are encrypted by Pulumi. */
  config?: Record<string, { value: string; secret?: boolean }>;
  /** Extra environment for the engine and the providers it starts. */
  env?: Record<string, string>;
  /** What dstack itself did to the stack (e.g. a stale lock removed): lines the user should see. */
  onNotice?: (line: string) => void;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Engine output lines, for -v and logs. */
  onOutput?: (line: string) => void;
}

type Automation = typeof AutomationModule;
let automation: Promise<Automation> | undefined;
const loadAutomation = (): Promise<Automation> =>
  (automation ??= import("@pulumi/pulumi/automation/index.js"));

function engineEnv(target: StackTarget): Record<string, string> {
  const env: Record<string, string> = {
    ...pulumiEnv(target.pulumiBinDir),
    PULUMI_BACKEND_URL: target.backend.url,
    ...target.env,
  };
  if (target.backend.passphrase !== undefined)
    env.PULUMI_CONFIG_PASSPHRASE = target.backend.passphrase.reveal();
  return env;
}

export async function openStack(target: StackTarget): Promise<Stack> {
  const auto = await loadAutomation();
  const pulumiCommand = await auto.PulumiCommand.get({
    root: pulumiRoot(target.pulumiBinDir),
    skipVersionCheck: false,
  });
  const args = { projectName: target.project, stackName: target.stack, program: target.program };
  const options = {
    pulumiCommand,
    envVars: engineEnv(target),
    projectSettings: {
      name: target.project,
      runtime: "nodejs" as const,
      backend: { url: target.backend.url },
    },
    secretsProvider: target.backend.passphrase === undefined ? undefined : "passphrase",
  };
  let stack: Stack;
  try {
    stack = await auto.LocalWorkspace.createOrSelectStack(args, options);
  } catch (error) {
    // Two processes opening a new stack at once (two applies, or apply and the reaper) both find it
    // missing and both create it; the later one is told it exists, and then it does: select it.
    if (!(error instanceof Error && /stack '[^']+' already exists/.test(error.message))) throw error;
    stack = await auto.LocalWorkspace.selectStack(args, options);
  }
  if (target.config !== undefined) await stack.setAllConfig(target.config);
  return stack;
}

async function guarded<T>(target: StackTarget, options: RunOptions, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (!(await clearedStaleLock(error, target, options))) throw await classify(error, target, options);
  }
  // Once only: a lock found again is someone else's, and classify() reports it.
  try {
    return await action();
  } catch (error) {
    throw await classify(error, target, options);
  }
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
  if (options.signal?.aborted === true) return false;
  return clearStaleLocks(
    lockedStack(target),
    await locksIn(error, target),
    async () => (await openStack(target)).cancel(),
    target.onNotice ?? options.onOutput,
  );
}

async function classify(error: unknown, target: StackTarget, options: RunOptions): Promise<EngineError> {
  const auto = await loadAutomation();
  if (options.signal?.aborted === true) {
    return new EngineError(
      "cancelled",
      `the ${target.stack} update was cancelled`,
      "Pulumi finished its in-flight operations, so every resource it created is recorded in the stack state",
    );
  }
  const text = error instanceof Error ? error.message : String(error);
  if (error instanceof auto.ConcurrentUpdateError) {
    return new EngineError(
      "locked",
      `stack ${target.stack} is locked: ${describeLock(lockHolderOf(lockedStack(target), await locksIn(error, target)))}`,
      lockedHint(target.backend.url),
      engineDetail(text),
    );
  }
  const code = classifyText(text);
  const hint =
    code === "capacity"
      ? "the cloud has no capacity for this offer; try another region or instance type"
      : code === "quota"
        ? "raise the quota in the cloud console, or ask for fewer resources"
        : code === "credentials"
          ? "check the cloud credentials (`dstack doctor` shows what is configured)"
          : undefined;
  return new EngineError(
    code,
    `the Pulumi ${code === "failed" ? "update failed" : `update failed: ${code}`}`,
    hint,
    engineDetail(text),
  );
}

/**
 * The Automation API ignores a signal that was already aborted when a command starts, so a deadline
 * that passed while the stack was being opened must be noticed here.
 */
function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new Error("aborted before the engine started");
}

export async function preview(target: StackTarget, options: RunOptions = {}): Promise<Plan> {
  return guarded(target, options, async () => {
    const stack = await openStack(target);
    throwIfAborted(options.signal);
    const events: EngineEvent[] = [];
    await stack.preview({
      onEvent: (e) => events.push(e),
      onOutput: options.onOutput,
      signal: options.signal,
      diff: true,
    });
    return planFromEvents(events);
  });
}

export interface UpResult {
  outputs: Record<string, unknown>;
  plan: Plan;
}

export async function up(target: StackTarget, options: RunOptions = {}): Promise<UpResult> {
  return guarded(target, options, async () => {
    const stack = await openStack(target);
    throwIfAborted(options.signal);
    const events: EngineEvent[] = [];
    const result = await stack.up({
      onEvent: (e) => events.push(e),
      onOutput: options.onOutput,
      signal: options.signal,
    });
    const outputs = Object.fromEntries(
      Object.entries(result.outputs).map(([k, v]) => [k, v.value as unknown]),
    );
    return { outputs, plan: planFromEvents(events) };
  });
}

export async function destroy(
  target: StackTarget,
  options: RunOptions & { remove?: boolean } = {},
): Promise<void> {
  await guarded(target, options, async () => {
    const stack = await openStack(target);
    await stack.destroy({ onOutput: options.onOutput, signal: options.signal });
    if (options.remove === true) await stack.workspace.removeStack(target.stack);
  });
}

/** Removes a stack that holds no resources (e.g. one a preview created), leaving no trace in the state. */
export async function removeStack(target: StackTarget): Promise<void> {
  await guarded(target, {}, async () => {
    const stack = await openStack(target);
    await stack.workspace.removeStack(target.stack);
  });
}

export async function refresh(target: StackTarget, options: RunOptions = {}): Promise<void> {
  await guarded(target, options, async () => {
    const stack = await openStack(target);
    await stack.refresh({ onOutput: options.onOutput, signal: options.signal });
  });
}

export async function outputs(target: StackTarget): Promise<Record<string, unknown>> {
  const stack = await openStack(target);
  const result = await stack.outputs();
  return Object.fromEntries(Object.entries(result).map(([k, v]) => [k, v.value as unknown]));
}

/**
 * Drops the pending operations a killed update left in the state (creates or deletes the engine
 * started and never saw finish) and returns how many there were. Pulumi's own remedies do not fit:
 * `pulumi cancel` only clears locks, and `refresh --clear-pending-creates` also refreshes every other
 * resource and keeps pending deletes. Export, drop, import does exactly this, and the caller removes
 * whatever the operations may have left in the cloud (it knows which instance it was).
 */
export async function clearPendingOperations(target: StackTarget): Promise<number> {
  return guarded(target, {}, async () => {
    const stack = await openStack(target);
    const exported = await stack.exportStack();
    const deployment = exported.deployment as { pending_operations?: unknown[] } | undefined;
    const pending = deployment?.pending_operations?.length ?? 0;
    if (deployment === undefined || pending === 0) return 0;
    delete deployment.pending_operations;
    await stack.importStack(exported);
    return pending;
  });
}

/**
 * Reads every resource of the stack back from its provider (`pulumi refresh`: one that is gone
 * leaves the state) and returns the ids the state then holds, by resource type.
 */
export async function refreshedIds(
  target: StackTarget,
  options: RunOptions = {},
): Promise<Map<string, string[]>> {
  return guarded(target, options, async () => {
    const stack = await openStack(target);
    throwIfAborted(options.signal);
    await stack.refresh({ onOutput: options.onOutput, signal: options.signal });
    const exported = await stack.exportStack();
    const resources =
      (exported.deployment as { resources?: { type: string; id?: string }[] } | undefined)?.resources ?? [];
    const ids = new Map<string, string[]>();
    for (const r of resources)
      if (r.id !== undefined && r.id !== "") ids.set(r.type, [...(ids.get(r.type) ?? []), r.id]);
    return ids;
  });
}
