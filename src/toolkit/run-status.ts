// What `dstack ps` shows, derived: every run record asked of its instance's agent (a record superseded by
// a pending run of the same name is hidden), what a run without an answer must be, and the runs still
// waiting for capacity in the background. Rendering (table, JSON) is the CLI's.
import type { RunView } from "../runtime-agent/run-view.js";
import { listInstances } from "../pools/pool-store.js";
import { isActive } from "../runs/agent-session.js";
import type { PendingStatus } from "../runs/pending-status.js";
import { listPending, pendingSupersedes, type PendingRun } from "../runs/pending-store.js";
import { runCost, type RunCost } from "../runs/run-cost.js";
import { listRuns, type RunRecord } from "../runs/store.js";
import { openAgent, pendingStatusOf } from "./run-access.js";
import { currentOwner, isMine } from "../home/owner.js";
import { SshKeyRefused } from "../ssh/connect.js";

/** Without an answer from the agent ("no-access": a teammate's instance that does not accept our key). */
export type Unanswered = "interrupted" | "ended" | "unreachable" | "no-access";

export interface RunRow {
  record: RunRecord;
  /** What the agent said; undefined when it did not answer. */
  view: RunView | undefined;
  /** The agent's status, else what the missing answer means. */
  status: string;
  unanswered: Unanswered | null;
  /** Its instance's price per hour and what the run has cost so far. */
  cost: RunCost;
}

export interface PendingRow {
  pending: PendingRun;
  status: PendingStatus;
}

export interface RunStatuses {
  pending: PendingRow[];
  runs: RunRow[];
}

async function viewOf(home: string, run: RunRecord): Promise<RunView | "no-access" | undefined> {
  const session = await openAgent(home, run, 1).catch((error: unknown) =>
    error instanceof SshKeyRefused ? ("no-access" as const) : undefined,
  );
  if (session === undefined || session === "no-access") return session;
  try {
    return await session.run(run.name);
  } catch {
    return undefined; // the agent is restarting or gone: shown as unreachable
  } finally {
    session.close();
  }
}

/**
 * Without an answer: a run whose instance disappeared while it ran was interrupted (the reaper said
 * so); one whose instance the reaper tore down has ended; otherwise we cannot tell.
 */
export function unanswered(record: RunRecord, pooled: ReadonlySet<string>): Unanswered {
  if (record.interrupted_at !== undefined) return "interrupted";
  return pooled.has(record.instance) ? "unreachable" : "ended";
}

/**
 * When the run stopped costing (ms): when it finished, `now` while it may still run, null when nobody
 * can tell (its instance was torn down before anyone asked it).
 */
export function runEnd(
  record: RunRecord,
  view: RunView | undefined,
  missing: Unanswered | null,
  now: number,
): number | null {
  const at = (iso: string | null | undefined): number | null => (iso == null ? null : Date.parse(iso));
  if (view !== undefined) return at(view.finished_at) ?? now;
  if (missing === "interrupted") return at(record.interrupted_at);
  return missing === "ended" ? null : now;
}

/** Active runs and pending ones; with `all`, finished and failed ones too. */
export async function runStatuses(
  home: string,
  options: { all: boolean; mine?: boolean; now?: number },
): Promise<RunStatuses> {
  const now = options.now ?? Date.now();
  const pendings = listPending(home);
  const records = listRuns(home).filter(
    (r) => !pendings.some((p) => p.name === r.name && pendingSupersedes(p, r)),
  );
  const me = currentOwner();
  const mine = records.filter((r) => options.mine !== true || isMine(r.owner, me));
  const answers = await Promise.all(mine.map((r) => viewOf(home, r)));
  const instances = new Map(listInstances(home).map((i) => [i.instance.name, i]));
  const pooled = new Set(instances.keys());
  const runs = mine
    .map((record, i): RunRow => {
      const answer = answers[i];
      const view = answer === "no-access" ? undefined : answer;
      const missing =
        answer === "no-access" ? "no-access" : view === undefined ? unanswered(record, pooled) : null;
      const end = runEnd(record, view, missing, now);
      const cost = runCost({ record, instance: instances.get(record.instance), end });
      return { record, view, status: view?.status ?? missing ?? "unreachable", unanswered: missing, cost };
    })
    // A teammate's run we cannot ask is listed: it may well run, and `stop` says how to reach it.
    .filter(
      ({ view, unanswered: u }) => options.all || u === "no-access" || (view !== undefined && isActive(view)),
    );
  const pending = pendings
    .filter((p) => options.mine !== true || isMine(p.owner, me))
    .map((p) => ({ pending: p, status: pendingStatusOf(p, now) }))
    .filter(({ status }) => options.all || status.status === "pending");
  return { pending, runs };
}

export function formatAge(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = Math.floor(seconds % 60);
  const h = Math.floor(m / 60);
  return h > 0 ? `${h}h ${m % 60}m` : m > 0 ? `${m}m ${s}s` : `${s}s`;
}

const UNANSWERED_TEXT: Record<Unanswered, (r: RunRecord) => string> = {
  interrupted: (r) => `interrupted (instance ${r.instance} disappeared)`,
  ended: () => "ended (instance torn down)",
  unreachable: () => "unreachable (instance or agent not answering)",
  "no-access": (r) =>
    `not reachable with your key (${r.owner?.user ?? "its owner"} or a teammate: dstack ssh-key add)`,
};

function resubmittedText(after: "interruption" | "error", n: number): string {
  if (after === "error") return n === 1 ? "resubmitted after an error" : `resubmission ${n}, after errors`;
  return `resubmitted after ${n === 1 ? "an interruption" : `${n} interruptions`}`;
}

/** The STATUS column: the status with its stop reason, inactivity (verbose) and resubmissions. */
export function runStatusText(row: RunRow, verbose: boolean): string {
  const { record, view } = row;
  if (view === undefined) return UNANSWERED_TEXT[row.unanswered ?? "unreachable"](record);
  const reason = view.stop_reason === null ? "" : ` (${view.stop_reason.replace(/_/g, " ")})`;
  const inactive =
    verbose && view.status === "running" && view.inactive_seconds !== null
      ? ` (inactive for ${formatAge(view.inactive_seconds)})`
      : "";
  const n = record.resubmissions ?? 0;
  const resubmitted = n === 0 ? "" : ` (${resubmittedText(record.resubmitted_after ?? "interruption", n)})`;
  return `${view.status}${reason}${inactive}${resubmitted}`;
}
