// `dstack ps [-a] [-v] [--json]`: runs with backend, resources, price and status (with -v, the instance
// and zone, and how long a dev environment has been inactive), as the toolkit derives them
// (src/toolkit/run-status.ts); then the fleets, with what their stacks reported (fleets.ts).
import { roundUsd } from "../../src/catalog/cost.js";
import { formatCost, formatPrice, textTable as table } from "../../src/text-table.js";
import { formatAge, runStatusText, type RunRow } from "../../src/toolkit/run-status.js";
import type { CommandContext, Values } from "../command.js";
import { toolkitFor } from "../toolkit.js";
import { sharedRecords } from "../../src/home/members.js";
import { currentOwner, isMine } from "../../src/home/owner.js";
import { pendingJson } from "./pending-render.js";
import { fleetsJson, fleetsTable, refreshFleets } from "./fleets.js";

function runJson({ record, view, status, cost }: RunRow): Record<string, unknown> {
  return {
    name: record.name,
    type: record.type,
    backend: record.backend,
    region: record.region ?? null,
    zone: record.zone ?? null,
    instance: record.instance,
    instance_type: record.instance_type ?? null,
    spot: record.spot ?? null,
    resources: record.resources,
    price: record.price,
    price_hourly: roundUsd(cost.hourly),
    cost_accrued: cost.accrued === null ? null : roundUsd(cost.accrued),
    status,
    stop_reason: view?.stop_reason ?? null,
    exit_code: view?.exit_code ?? null,
    inactive_seconds: view?.inactive_seconds ?? null,
    submitted_at: record.submitted_at,
    resubmissions: record.resubmissions ?? 0,
    resubmitted_after:
      record.resubmissions === undefined ? null : (record.resubmitted_after ?? "interruption"),
    first_submitted_at: record.first_submitted_at ?? record.submitted_at,
    interrupted_at: record.interrupted_at ?? null,
    owner: record.owner ?? null,
  };
}

const ago = (now: number, iso: string): string => `${formatAge((now - Date.parse(iso)) / 1000)} ago`;

export async function run(ctx: CommandContext, values: Values): Promise<number> {
  const kit = toolkitFor(ctx);
  if (values.refresh === true) await refreshFleets(ctx, kit);
  const all = values.all === true;
  const now = Date.now();
  const { pending, runs } = await kit.runStatuses({ all, mine: values.mine === true, now });
  if (values.json === true) {
    ctx.out.json({
      runs: [...pending.map(({ pending: p }) => pendingJson(p, now)), ...runs.map(runJson)],
      fleets: fleetsJson(ctx.home),
    });
    return 0;
  }
  const fleets = fleetsTable(ctx.home);
  if (runs.length === 0 && pending.length === 0) {
    ctx.out.print(all ? "No runs." : "No active runs (dstack ps -a shows finished ones).");
    if (fleets !== undefined) ctx.out.print(fleets);
    return 0;
  }
  const verbose = values.verbose === true;
  // On a shared backend (or with runs of others), whose each run is.
  const owners = sharedRecords(ctx.home) || runs.some((r) => !isMine(r.record.owner, currentOwner()));
  // -v adds where the run landed: its instance, region, (simulated) availability zone, type and spot.
  ctx.out.print(
    table([
      [
        "NAME",
        ...(owners ? ["OWNER"] : []),
        "BACKEND",
        ...(verbose ? ["INSTANCE", "REGION", "ZONE", "TYPE", "SPOT"] : []),
        "RESOURCES",
        "PRICE",
        "COST",
        "STATUS",
        "SUBMITTED",
      ],
      ...pending.map(({ pending: p, status }) => [
        p.name,
        ...(owners ? [p.owner?.user ?? "-"] : []),
        p.backend,
        ...(verbose ? ["-", "-", "-", "-", "-"] : []),
        p.resources,
        "-",
        "-",
        status.text,
        ago(now, p.submitted_at),
      ]),
      ...runs.map((row) => [
        row.record.name,
        ...(owners ? [row.record.owner?.user ?? "-"] : []),
        row.record.backend,
        ...(verbose
          ? [
              row.record.instance,
              row.record.region ?? "-",
              row.record.zone ?? "-",
              row.record.instance_type ?? "-",
              row.record.spot === undefined ? "-" : row.record.spot ? "yes" : "no",
            ]
          : []),
        row.record.resources,
        formatPrice(row.record.price),
        formatCost(row.cost.accrued),
        runStatusText(row, verbose),
        ago(Date.now(), row.record.submitted_at),
      ]),
    ]),
  );
  if (fleets !== undefined) ctx.out.print(fleets);
  return 0;
}
