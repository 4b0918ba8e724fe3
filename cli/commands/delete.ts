// `dstack delete NAME [-y]`: destroy a fleet (its pool stack: instances, network, key pair) and forget
// it; volumes stay (retainOnDelete). Runs are stopped with `dstack stop`, as in dstack.
import { closest } from "../../src/compiler/suggest.js";
import { UserError } from "../../src/errors.js";
import { deleteFleet } from "../../src/fleets/delete-fleet.js";
import { fleetWhere } from "../../src/fleets/fleet-view.js";
import { listFleets, readFleet } from "../../src/fleets/store.js";
import { stampAlive } from "../../src/process-identity.js";
import { stopBackground } from "../../src/runs/pending-process.js";
import { readRun } from "../../src/runs/store.js";
import type { CommandContext, Values } from "../command.js";
import { toolkitFor } from "../toolkit.js";

export async function run(ctx: CommandContext, values: Values, positionals: string[]): Promise<number> {
  const name = positionals[0];
  if (name === undefined) throw new UserError("usage", "name the fleet", "dstack ps lists fleets", 2);
  const fleet = readFleet(ctx.home, name);
  if (fleet === undefined) {
    if (readRun(ctx.home, name) !== undefined)
      throw new UserError("not-a-fleet", `${name} is a run, not a fleet`, `dstack stop ${name} stops it`);
    const near = closest(
      name,
      listFleets(ctx.home).map((f) => f.name),
    );
    throw new UserError(
      "fleet-not-found",
      `no fleet named "${name}"`,
      near === undefined ? "dstack ps lists fleets" : `did you mean "${near}"?`,
    );
  }
  const n = fleet.instances.length;
  const what = `fleet ${name} (${n} instance${n === 1 ? "" : "s"} on ${fleet.backend} ${fleetWhere(fleet)})`;
  if (!(await ctx.io.confirm(`Delete the ${what}?`))) return 0;
  // Still retrying in the background: cancel that process; it cleans up its attempt and its record.
  const retrying = fleet.retrying?.process ?? null;
  if (retrying !== null && stampAlive(retrying)) {
    ctx.io.notify({
      code: "fleet.cancel",
      level: "info",
      text: `Cancelling the background retrying of ${name} (pid ${retrying.pid})...`,
      data: { fleet: name, pid: retrying.pid },
    });
    await stopBackground(retrying);
  }
  const left = readFleet(ctx.home, name);
  if (left === undefined) {
    ctx.out.print(`Cancelled the pending fleet ${name}; nothing was created.`);
    return 0;
  }
  ctx.io.notify({
    code: "fleet.destroy",
    level: "info",
    text: `Destroying the stack ${left.stack.project}/${left.stack.stack}...`,
    data: { fleet: name, project: left.stack.project, stack: left.stack.stack },
  });
  await deleteFleet({
    home: ctx.home,
    fleet: left,
    pools: toolkitFor(ctx).fleetPools(fleet.stack.backend_url),
    signal: ctx.signal,
    force: values.force === true,
  });
  ctx.out.print(`Deleted the ${what}; volumes, if any, are kept.`);
  return 0;
}
