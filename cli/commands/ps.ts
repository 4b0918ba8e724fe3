// `dstack ps [-a] [-v] [--json]`: runs with backend, resources, price and status (with -v, the instance
// and zone, and how long a dev environment has been inactive), asked of each instance's agent.
import type { RunView } from "../../src/runtime-agent/run-view.js";
import { isActive } from "../../src/runs/agent-session.js";
import { LOCAL_POOL } from "../../src/runs/local-pool.js";
import { listRuns, readPool, type RunRecord } from "../../src/runs/store.js";
import type { CommandContext, Values } from "../command.js";
import { formatPrice, textTable as table } from "../../src/text-table.js";
import { openAgent } from "./runs-common.js";

async function viewOf(ctx: CommandContext, run: RunRecord): Promise<RunView | undefined> {
  const session = await openAgent(ctx, run, 1).catch(() => undefined);
  if (session === undefined) return undefined;
  try {
    return await session.run(run.name);
  } catch {
    return undefined; // the agent is restarting or gone: shown as unreachable
  } finally {
    session.close();
  }
}

export function formatAge(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = Math.floor(seconds % 60);
  const h = Math.floor(m / 60);
  return h > 0 ? `${h}h ${m % 60}m` : m > 0 ? `${m}m ${s}s` : `${s}s`;
}

/** Without an answer: a run whose instance the reaper tore down has ended; otherwise we cannot tell. */
function unanswered(record: RunRecord, pooled: ReadonlySet<string>): string {
  return pooled.has(record.instance) ? "unreachable" : "ended";
}

function status(view: RunView | undefined, verbose: boolean, fallback: string): string {
  if (view === undefined)
    return fallback === "ended"
      ? "ended (instance torn down)"
      : "unreachable (instance or agent not answering)";
  const reason = view.stop_reason === null ? "" : ` (${view.stop_reason.replace(/_/g, " ")})`;
  const inactive =
    verbose && view.status === "running" && view.inactive_seconds !== null
      ? ` (inactive for ${formatAge(view.inactive_seconds)})`
      : "";
  return `${view.status}${reason}${inactive}`;
}

export async function run(ctx: CommandContext, values: Values): Promise<number> {
  const runs = listRuns(ctx.home);
  const views = await Promise.all(runs.map((r) => viewOf(ctx, r)));
  const pooled = new Set(readPool(ctx.home, LOCAL_POOL).instances.map((i) => i.name));
  const rows = runs
    .map((r, i) => ({ record: r, view: views[i] }))
    .filter(({ view }) => values.all === true || (view !== undefined && isActive(view)));
  if (values.json === true) {
    ctx.out.json({
      runs: rows.map(({ record, view }) => ({
        name: record.name,
        type: record.type,
        backend: record.backend,
        region: record.region ?? null,
        zone: record.zone ?? null,
        instance: record.instance,
        resources: record.resources,
        price: record.price,
        status: view?.status ?? unanswered(record, pooled),
        stop_reason: view?.stop_reason ?? null,
        exit_code: view?.exit_code ?? null,
        inactive_seconds: view?.inactive_seconds ?? null,
        submitted_at: record.submitted_at,
      })),
    });
    return 0;
  }
  if (rows.length === 0) {
    ctx.out.print(values.all === true ? "No runs." : "No active runs (dstack ps -a shows finished ones).");
    return 0;
  }
  const verbose = values.verbose === true;
  // -v adds where the run landed: its instance and the (simulated) availability zone.
  ctx.out.print(
    table([
      [
        "NAME",
        "BACKEND",
        ...(verbose ? ["INSTANCE", "ZONE"] : []),
        "RESOURCES",
        "PRICE",
        "STATUS",
        "SUBMITTED",
      ],
      ...rows.map(({ record, view }) => [
        record.name,
        record.backend,
        ...(verbose ? [record.instance, record.zone ?? "-"] : []),
        record.resources,
        formatPrice(record.price),
        status(view, verbose, unanswered(record, pooled)),
        `${formatAge((Date.now() - Date.parse(record.submitted_at)) / 1000)} ago`,
      ]),
    ]),
  );
  return 0;
}
