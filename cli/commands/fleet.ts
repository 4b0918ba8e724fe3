// `dstack fleet [--refresh] [--json]`: the fleets (pools declared in files) with their instances, as
// `ps` shows them below the runs, plus each node's status and cost so far (from `pool ps`).
import { listPools } from "../../src/pools/pool-store.js";
import { instanceRows } from "../../src/pools/pool-view.js";
import { formatCost, textTable } from "../../src/text-table.js";
import type { CommandContext, Values } from "../command.js";
import { toolkitFor } from "../toolkit.js";
import { fleetsJson, fleetsTable, refreshFleets } from "./fleets.js";

export async function run(ctx: CommandContext, values: Values): Promise<number> {
  const kit = toolkitFor(ctx);
  await kit.recover();
  if (values.refresh === true) await refreshFleets(ctx, kit);
  const nodes = instanceRows(
    listPools(ctx.home).filter((p) => p.fleet !== undefined),
    Date.now(),
  );
  if (values.json === true) {
    ctx.out.json({ fleets: fleetsJson(ctx.home), instances: nodes });
    return 0;
  }
  const fleets = fleetsTable(ctx.home);
  if (fleets === undefined) {
    ctx.out.print("No fleets: `dstack apply -f fleet.dstack.yml` makes one.");
    return 0;
  }
  ctx.out.print(fleets.trimStart());
  if (nodes.length > 0)
    ctx.out.print(
      `\nInstances:\n${textTable([
        ["INSTANCE", "FLEET", "REGION", "TYPE", "STATUS", "COST"],
        ...nodes.map((n) => [
          n.name,
          n.pool,
          n.zone === null ? n.region : `${n.region}/${n.zone}`,
          n.instance_type ?? "-",
          n.status === "busy" && n.runs.length > 0 ? `busy (${n.runs.join(", ")})` : n.status,
          formatCost(n.cost_accrued),
        ]),
      ])}`,
    );
  return 0;
}
