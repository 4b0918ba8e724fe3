// `dstack _provision NAME` (internal): the background process `apply -d` starts when a run under
// `retry` found no capacity on its first pass (src/toolkit/resume-run.ts). It compiles the configuration
// again from the original flags (passed in its environment); its output, timestamped, goes to
// ~/.dstack/logs/provision-NAME.log. `dstack stop NAME` cancels it with SIGTERM (the shared Ctrl-C
// path: the attempt is cancelled through Pulumi).
import type { RunSpec, Spec } from "../../src/compiler/spec.js";
import { UserError, usageError } from "../../src/errors.js";
import { APPLY_VALUES_ENV } from "../../src/runs/pending-process.js";
import type { PendingRun } from "../../src/runs/pending-store.js";
import type { CommandContext, Values } from "../command.js";
import { compileFromFlags } from "../compile-config.js";
import { toolkitFor } from "../toolkit.js";

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
  const record = await toolkitFor(ctx).resumeRun(name, (pending) => specOf(ctx, pending));
  return record === undefined ? 1 : 0;
}
