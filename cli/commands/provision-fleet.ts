// `dstack _provision-fleet NAME` (internal): the background process `apply -d` of a fleet starts when
// the first pass under `retry` found no capacity (src/toolkit/fleets.ts). It compiles the configuration
// again from the original flags (passed in its environment); its output, timestamped, goes to
// ~/.dstack/logs/provision-fleet-NAME.log. `dstack delete NAME` cancels it with SIGTERM (the shared
// Ctrl-C path: the attempt under way is cancelled through Pulumi).
import { UserError, usageError } from "../../src/errors.js";
import { APPLY_VALUES_ENV } from "../../src/runs/pending-process.js";
import type { CommandContext, Values } from "../command.js";
import { compileFromFlags } from "../compile-config.js";
import { toolkitFor } from "../toolkit.js";

export async function run(ctx: CommandContext, _values: Values, positionals: string[]): Promise<number> {
  const name = positionals[0];
  if (name === undefined) throw usageError("name the pending fleet");
  const fleet = await toolkitFor(ctx).resumeFleet(name, (cwd) => {
    const values = JSON.parse(ctx.env[APPLY_VALUES_ENV] ?? "null") as Values | null;
    if (values === null) throw new UserError("internal", `${APPLY_VALUES_ENV} is missing`);
    return compileFromFlags({ ...ctx, cwd }, values).result.spec;
  });
  return fleet === undefined ? 1 : 0;
}
