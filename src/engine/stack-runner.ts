// The thin executor over the Pulumi Automation API: inline programs, one stack per pool or volume,
// preview as a structured plan, up, destroy, refresh. Each operation runs guarded (guarded.ts): a
// failure is an EngineError carrying the engine's own diagnostics.
import { guarded } from "./guarded.js";
import { openStack, type RunOptions, type StackTarget } from "./open-stack.js";
import { planFromEvents, type Plan } from "./plan.js";

export { openStack, type RunOptions, type StackTarget };

/**
 * The Automation API ignores a signal that was already aborted when a command starts, so a deadline
 * that passed while the stack was being opened must be noticed here.
 */
function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new Error("aborted before the engine started");
}

export async function preview(target: StackTarget, options: RunOptions = {}): Promise<Plan> {
  return guarded(target, options, "preview", async (onEvent, events) => {
    const stack = await openStack(target);
    throwIfAborted(options.signal);
    await stack.preview({ onEvent, onOutput: options.onOutput, signal: options.signal, diff: true });
    return planFromEvents(events);
  });
}

export interface UpResult {
  outputs: Record<string, unknown>;
  plan: Plan;
}

export async function up(target: StackTarget, options: RunOptions = {}): Promise<UpResult> {
  return guarded(target, options, "up", async (onEvent, events) => {
    const stack = await openStack(target);
    throwIfAborted(options.signal);
    const result = await stack.up({ onEvent, onOutput: options.onOutput, signal: options.signal });
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
  await guarded(target, options, "destroy", async (onEvent) => {
    const stack = await openStack(target);
    await stack.destroy({ onEvent, onOutput: options.onOutput, signal: options.signal });
    if (options.remove === true) await stack.workspace.removeStack(target.stack);
  });
}

/** Removes a stack that holds no resources (e.g. one a preview created), leaving no trace in the state. */
export async function removeStack(target: StackTarget): Promise<void> {
  await guarded(target, {}, "remove", async () => {
    const stack = await openStack(target);
    await stack.workspace.removeStack(target.stack);
  });
}

export async function refresh(target: StackTarget, options: RunOptions = {}): Promise<void> {
  await guarded(target, options, "refresh", async (onEvent) => {
    const stack = await openStack(target);
    await stack.refresh({ onEvent, onOutput: options.onOutput, signal: options.signal });
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
  return guarded(target, {}, "clear-pending", async () => {
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
/**
 * An instance the cloud reports stopped (its guest powered off: the agent's idle backstop on GCP, or an
 * AWS instance whose shutdown behaviour is stop) holds no run and no address: it counts as gone, so
 * the pool removes it, and its disk with it.
 */
function poweredOff(outputs: Record<string, unknown> | undefined): boolean {
  const state = outputs?.instanceState ?? outputs?.currentStatus;
  return (
    typeof state === "string" &&
    ["stopped", "stopping", "terminated", "TERMINATED", "STOPPED", "STOPPING"].includes(state)
  );
}

export async function refreshedIds(
  target: StackTarget,
  options: RunOptions = {},
): Promise<Map<string, string[]>> {
  return guarded(target, options, "refresh", async (onEvent) => {
    const stack = await openStack(target);
    throwIfAborted(options.signal);
    await stack.refresh({ onEvent, onOutput: options.onOutput, signal: options.signal });
    const exported = await stack.exportStack();
    const resources =
      (
        exported.deployment as
          { resources?: { type: string; id?: string; outputs?: Record<string, unknown> }[] } | undefined
      )?.resources ?? [];
    const ids = new Map<string, string[]>();
    for (const r of resources)
      if (r.id !== undefined && r.id !== "" && !poweredOff(r.outputs))
        ids.set(r.type, [...(ids.get(r.type) ?? []), r.id]);
    return ids;
  });
}
