// `dstack _provision NAME` (internal): the background process `apply -d` starts when a run under
// `retry` found no capacity on its first pass. It compiles the configuration again from the original
// flags (passed in its environment), carries on the failover loop, and submits the run once capacity
// appears; its output, timestamped, goes to ~/.dstack/logs/provision-NAME.log. `dstack stop NAME`
// cancels it with SIGTERM (the shared Ctrl-C path: the attempt is cancelled through Pulumi).
import { setTimeout as delay } from "node:timers/promises";
import type { RunSpec, Spec } from "../../src/compiler/spec.js";
import { UserError, usageError } from "../../src/errors.js";
import { hasInstances } from "../../src/pools/pool-store.js";
import { baseImages, openPools } from "../../src/pools/pools-context.js";
import { APPLY_VALUES_ENV } from "../../src/runs/pending-process.js";
import { readPending, removePending, updatePending, type PendingRun } from "../../src/runs/pending-store.js";
import { provisionTuning } from "../../src/provisioning/provision-tuning.js";
import { ensureReaper } from "../../src/toolkit/reaper-process.js";
import { resumeApply } from "../../src/runs/resume-apply.js";
import type { CommandContext, Values } from "../command.js";
import { compileFromFlags } from "../compile-config.js";

/** The record names this process once `apply` has written its stamp (right after starting it). */
async function ownRecord(home: string, name: string): Promise<PendingRun | undefined> {
  for (let i = 0; i < 100; i++) {
    const pending = readPending(home, name);
    if (pending === undefined) return undefined;
    if (pending.process?.pid === process.pid) return pending;
    await delay(50);
  }
  return undefined;
}

/**
 * The configuration to run: a resubmission (the reaper's, after an interruption) runs the recorded
 * spec; a pending `apply -d` compiles the file again from the original flags (they carry -e values).
 */
function specOf(ctx: CommandContext, pending: PendingRun): Spec | null {
  if (pending.resubmissions !== undefined) return pending.spec as unknown as RunSpec;
  const values = JSON.parse(ctx.env[APPLY_VALUES_ENV] ?? "null") as Values | null;
  if (values === null) throw new UserError("internal", `${APPLY_VALUES_ENV} is missing`);
  return compileFromFlags({ ...ctx, cwd: pending.cwd }, values).result.spec;
}

export async function run(ctx: CommandContext, _values: Values, positionals: string[]): Promise<number> {
  const name = positionals[0];
  if (name === undefined) throw usageError("name the pending run");
  const log = (line: string): void => ctx.out.error(`${new Date().toISOString()} ${line}`);
  const pending = await ownRecord(ctx.home, name);
  if (pending === undefined) {
    log(`no pending run ${name} names this process (${process.pid}); exiting`);
    return 1;
  }
  log(
    pending.on_instance !== undefined
      ? `resubmitting ${name} on ${pending.on_instance} at ${pending.next_try_at ?? "once"} (${pending.reason}), retry until ${pending.retry_until}`
      : `retrying ${name} in the background: pass ${pending.pass + 1} at ${pending.next_try_at ?? "once"}, retry until ${pending.retry_until}`,
  );
  try {
    const spec = specOf(ctx, pending);
    if (spec === null || spec.type === "fleet" || spec.type === "volume")
      throw new UserError("config", `${pending.config_file} no longer compiles to a run (see above)`);
    const pools = openPools({ home: ctx.home, env: ctx.env, backendUrl: pending.backend_url });
    const { run: record } = await resumeApply({
      spec,
      pending,
      pools,
      baseImages,
      signal: ctx.signal,
      tuning: provisionTuning(ctx.env),
      progress: log,
    });
    log(`submitted ${record.name} on ${record.instance} (${record.zone ?? "no zone"})`);
    return 0;
  } catch (error) {
    // resumeApply records its own outcome; this covers what failed before it (compile, set-up).
    if (error instanceof UserError && error.code === "cancelled") removePending(ctx.home, name);
    else if (readPending(ctx.home, name)?.status === "pending")
      updatePending(ctx.home, name, {
        status: "failed",
        reason: "error",
        trying: null,
        next_try_at: null,
        message: error instanceof Error ? error.message : String(error),
      });
    throw error;
  } finally {
    if (hasInstances(ctx.home)) ensureReaper(ctx.home);
  }
}
