// What the next command does about instances that went away without dstack: an instance whose agent
// powered it off after its idle_duration (no reaper was there to tear it down), or one the cloud took.
// The reaper does this on every pass; when no reaper runs (killed, or the laptop was off), the command
// at hand does it for the run pools (a fleet's gone nodes are `ps --refresh`'s and `delete`'s business): it asks each pool which instances are gone (a refresh confirms it on the clouds),
// removes them from their pools' stacks, treats their runs as interrupted, and says so in one line.
import { hasInstances } from "../pools/pool-store.js";
import { withRecoveryMutex } from "../pools/recover-mutex.js";
import type { PoolSet } from "../pools/pool-set.js";
import { handleInterruptions, type Interrupted } from "../runs/interruption.js";
import { startRetryingProcess } from "../runs/pending-process.js";
import type { IoHost } from "./io-host.js";
import { reaperAlive } from "./reaper-process.js";

/** One line for what was found. Pure. */
export function describeGone(gone: readonly Interrupted[]): string {
  const names = gone.map((g) => g.instance).join(", ");
  const runs = gone.flatMap((g) =>
    g.runs.map((r) => `${r.name} ${r.resubmitted ? "resubmitted" : "interrupted"}`),
  );
  const what = gone.length === 1 ? `instance ${names} is` : `${gone.length} instances (${names}) are`;
  return (
    `${what} no longer running (stopped itself after its idle_duration, or taken by the cloud): ` +
    `removed from ${gone.length === 1 ? "its pool's stack" : "their pools' stacks"}` +
    (runs.length === 0 ? "" : `; ${runs.join(", ")}`)
  );
}

export interface ReconcileInput {
  home: string;
  env: Readonly<Record<string, string | undefined>>;
  io: IoHost;
  pools: () => PoolSet;
}

export async function reconcileGone(input: ReconcileInput): Promise<Interrupted[]> {
  const { home, env, io } = input;
  if (!hasInstances(home) || reaperAlive(home)) return [];
  let gone: Interrupted[] | undefined;
  try {
    gone = await withRecoveryMutex(home, () =>
      handleInterruptions(
        input.pools(),
        (pending) => startRetryingProcess(home, pending, null, env),
        Date.now(),
        // A fleet's node that is gone makes the fleet `interrupted` (ps --refresh), which
        // `dstack delete` cleans up: fleets keep their own account of their nodes.
        (pool) => pool.record().fleet === undefined,
      ),
    );
  } catch (error) {
    const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    io.notify({
      code: "reconcile.failed",
      level: "warn",
      text: `warning: could not check which instances are still running (the next command tries again): ${message}`,
      data: { message },
    });
    return [];
  }
  if (gone === undefined || gone.length === 0) return [];
  io.notify({
    code: "reconcile.gone",
    level: "warn",
    text: describeGone(gone),
    data: { instances: gone.map((g) => ({ instance: g.instance, runs: g.runs })) },
  });
  return gone;
}
