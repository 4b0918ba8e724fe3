// The fleets part of `dstack ps`: one row per fleet (a "Fleets" table under the runs) and the same
// facts under `fleets` in --json.
import {
  fleetJson,
  fleetRow,
  fleetProcess,
  fleetStatus,
  FLEET_COLUMNS,
  type FleetStatus,
} from "../../src/fleets/fleet-view.js";
import { fleetCost, type FleetCost } from "../../src/fleets/fleet-cost.js";
import { refreshFleet } from "../../src/fleets/refresh-fleet.js";
import { listFleets, type FleetRecord } from "../../src/fleets/store.js";
import { readPool } from "../../src/pools/pool-store.js";
import type { Toolkit } from "../../src/toolkit/toolkit.js";
import type { CommandContext } from "../command.js";
import { stampAlive, type ProcessStamp } from "../../src/process-identity.js";
import { textTable } from "../../src/text-table.js";

const alive = (stamp: ProcessStamp | undefined): boolean => stamp !== undefined && stampAlive(stamp);

/**
 * The fleet with the instances its pool still holds: one the reaper tore down after the fleet's
 * idle_duration, or removed once its cloud lost it, is no longer one of its nodes.
 */
function live(home: string, fleet: FleetRecord): { fleet: FleetRecord; cost: FleetCost | null } {
  const pool = readPool(home, fleet.name);
  if (fleet.status !== "provisioned" || pool.fleet !== fleet.name) return { fleet, cost: null };
  const held = new Set(pool.instances.map((i) => i.name));
  const holding = { ...fleet, instances: fleet.instances.filter((i) => held.has(i.name)) };
  return { fleet: holding, cost: fleetCost(holding, pool, Date.now()) };
}

function withStatus(home: string): { fleet: FleetRecord; status: FleetStatus; cost: FleetCost | null }[] {
  return listFleets(home).map((recorded) => {
    const { fleet, cost } = live(home, recorded);
    return { fleet, status: fleetStatus(fleet, alive(fleetProcess(fleet))), cost };
  });
}

export function fleetsJson(home: string): Record<string, unknown>[] {
  return withStatus(home).map(({ fleet, status, cost }) => fleetJson(fleet, status, cost));
}

/** The "Fleets" table, or undefined when there are none. */
export function fleetsTable(home: string): string | undefined {
  const fleets = withStatus(home);
  if (fleets.length === 0) return undefined;
  return `\nFleets:\n${textTable([FLEET_COLUMNS, ...fleets.map(({ fleet, status, cost }) => fleetRow(fleet, status, cost))])}`;
}

/** `ps --refresh`: read every provisioned fleet's stack back from its cloud (see refresh-fleet.ts). */
export async function refreshFleets(ctx: CommandContext, kit: Toolkit): Promise<void> {
  for (const fleet of listFleets(ctx.home).filter((f) => f.status === "provisioned")) {
    ctx.io.notify({
      code: "fleet.refresh",
      level: "info",
      text: `Checking fleet ${fleet.name} against ${fleet.backend}...`,
      data: { fleet: fleet.name, backend: fleet.backend },
    });
    const checked = await refreshFleet(ctx.home, fleet, kit.engine(fleet.stack.backend_url), ctx.signal);
    for (const id of checked.gone ?? [])
      ctx.io.notify({
        code: "fleet.gone",
        level: "warn",
        text: `  instance ${id} is gone from ${fleet.backend}`,
        data: { fleet: fleet.name, instance: id },
      });
  }
}
