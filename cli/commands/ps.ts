// `dstack ps [-a] [-v] [--json]`: runs with backend, resources, price and status (with -v, the instance
// and zone, and how long a dev environment has been inactive), asked of each instance's agent; then the
// fleets, with what their stacks reported (fleets.ts).
import type { RunView } from "../../src/runtime-agent/run-view.js";
import { isActive } from "../../src/runs/agent-session.js";
import { listInstances } from "../../src/pools/pool-store.js";
import { listPending, pendingSupersedes } from "../../src/runs/pending-store.js";
import { recoverLeftovers } from "../../src/toolkit/recover-leftovers.js";
import { unreadableRecords, unreadableWarning } from "../../src/toolkit/unreadable-records.js";
import { listRuns, type RunRecord } from "../../src/runs/store.js";
import type { CommandContext, Values } from "../command.js";
import { formatPrice, textTable as table } from "../../src/text-table.js";
import { pendingJson, statusOf } from "./pending-render.js";
import { fleetsJson, fleetsTable, refreshFleets } from "./fleets.js";
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

/**
 * Without an answer: a run whose instance disappeared while it ran was interrupted (the reaper said
 * so); one whose instance the reaper tore down has ended; otherwise we cannot tell.
 */
function unanswered(record: RunRecord, pooled: ReadonlySet<string>): string {
  if (record.interrupted_at !== undefined) return "interrupted";
  return pooled.has(record.instance) ? "unreachable" : "ended";
}

const FALLBACK_TEXT: Record<string, (r: RunRecord) => string> = {
  interrupted: (r) => `interrupted (instance ${r.instance} disappeared)`,
  ended: () => "ended (instance torn down)",
  unreachable: () => "unreachable (instance or agent not answering)",
};

function resubmittedText(after: "interruption" | "error", n: number): string {
  if (after === "error") return n === 1 ? "resubmitted after an error" : `resubmission ${n}, after errors`;
  return `resubmitted after ${n === 1 ? "an interruption" : `${n} interruptions`}`;
}

function status(record: RunRecord, view: RunView | undefined, verbose: boolean, fallback: string): string {
  if (view === undefined) return (FALLBACK_TEXT[fallback] ?? FALLBACK_TEXT.unreachable!)(record);
  const reason = view.stop_reason === null ? "" : ` (${view.stop_reason.replace(/_/g, " ")})`;
  const inactive =
    verbose && view.status === "running" && view.inactive_seconds !== null
      ? ` (inactive for ${formatAge(view.inactive_seconds)})`
      : "";
  const n = record.resubmissions ?? 0;
  const resubmitted = n === 0 ? "" : ` (${resubmittedText(record.resubmitted_after ?? "interruption", n)})`;
  return `${view.status}${reason}${inactive}${resubmitted}`;
}

export async function run(ctx: CommandContext, values: Values): Promise<number> {
  if (values.refresh === true) await refreshFleets(ctx);
  // A dstack killed mid-create left a half-created instance or a locked stack: clean that up first.
  const cleaned = await recoverLeftovers({ home: ctx.home, env: ctx.env });
  if (cleaned !== undefined) ctx.out.error(cleaned);
  // A record that cannot be read is skipped below and named here, never a crash.
  for (const error of unreadableRecords(ctx.home)) ctx.out.error(unreadableWarning(error));
  // A run record superseded by a pending one of the same name (an ended run applied again) is hidden.
  const pendings = listPending(ctx.home);
  const runs = listRuns(ctx.home).filter(
    (r) => !pendings.some((p) => p.name === r.name && pendingSupersedes(p, r)),
  );
  const views = await Promise.all(runs.map((r) => viewOf(ctx, r)));
  const pooled = new Set(listInstances(ctx.home).map(({ instance }) => instance.name));
  const rows = runs
    .map((r, i) => ({ record: r, view: views[i] }))
    .filter(({ view }) => values.all === true || (view !== undefined && isActive(view)));
  // Runs still waiting for capacity in the background: pending ones always, failed ones with -a.
  const now = Date.now();
  const pending = pendings.filter((p) => values.all === true || statusOf(p, now).status === "pending");
  if (values.json === true) {
    ctx.out.json({
      runs: [
        ...pending.map((p) => pendingJson(p, now)),
        ...rows.map(({ record, view }) => ({
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
          status: view?.status ?? unanswered(record, pooled),
          stop_reason: view?.stop_reason ?? null,
          exit_code: view?.exit_code ?? null,
          inactive_seconds: view?.inactive_seconds ?? null,
          submitted_at: record.submitted_at,
          resubmissions: record.resubmissions ?? 0,
          resubmitted_after:
            record.resubmissions === undefined ? null : (record.resubmitted_after ?? "interruption"),
          first_submitted_at: record.first_submitted_at ?? record.submitted_at,
          interrupted_at: record.interrupted_at ?? null,
        })),
      ],
      fleets: fleetsJson(ctx.home),
    });
    return 0;
  }
  const fleets = fleetsTable(ctx.home);
  if (rows.length === 0 && pending.length === 0) {
    ctx.out.print(values.all === true ? "No runs." : "No active runs (dstack ps -a shows finished ones).");
    if (fleets !== undefined) ctx.out.print(fleets);
    return 0;
  }
  const verbose = values.verbose === true;
  // -v adds where the run landed: its instance, region, (simulated) availability zone, type and spot.
  ctx.out.print(
    table([
      [
        "NAME",
        "BACKEND",
        ...(verbose ? ["INSTANCE", "REGION", "ZONE", "TYPE", "SPOT"] : []),
        "RESOURCES",
        "PRICE",
        "STATUS",
        "SUBMITTED",
      ],
      ...pending.map((p) => [
        p.name,
        p.backend,
        ...(verbose ? ["-", "-", "-", "-", "-"] : []),
        p.resources,
        "-",
        statusOf(p, now).text,
        `${formatAge((now - Date.parse(p.submitted_at)) / 1000)} ago`,
      ]),
      ...rows.map(({ record, view }) => [
        record.name,
        record.backend,
        ...(verbose
          ? [
              record.instance,
              record.region ?? "-",
              record.zone ?? "-",
              record.instance_type ?? "-",
              record.spot === undefined ? "-" : record.spot ? "yes" : "no",
            ]
          : []),
        record.resources,
        formatPrice(record.price),
        status(record, view, verbose, unanswered(record, pooled)),
        `${formatAge((Date.now() - Date.parse(record.submitted_at)) / 1000)} ago`,
      ]),
    ]),
  );
  if (fleets !== undefined) ctx.out.print(fleets);
  return 0;
}
