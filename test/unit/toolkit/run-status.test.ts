// What `dstack ps` shows, as the toolkit derives it from real records in a temporary HOME: runs whose
// agent does not answer, runs hidden by a newer pending one, pending runs with and without -a, and the
// STATUS text of answered runs.
import { describe, expect, it } from "vitest";
import type { RunView } from "../../../src/runtime-agent/run-view.js";
import { runStatusText, type RunRow } from "../../../src/toolkit/run-status.js";
import { Toolkit } from "../../../src/toolkit/toolkit.js";
import { pendingRecord, runRecord, tempHome, withLocalPool, withPending, withRuns } from "./homes.js";
import { recordingIoHost } from "./recording-io-host.js";

const view = (over: Partial<RunView>): RunView => ({
  name: "r",
  kind: "task",
  image: "dstack/base",
  status: "running",
  exit_code: null,
  stop_reason: null,
  message: null,
  container_id: null,
  ssh_port: 10022,
  ssh_ready: true,
  ports: [],
  inactive_seconds: null,
  inactivity_duration: null,
  max_duration: null,
  submitted_at: "2026-01-01T00:00:00.000Z",
  started_at: null,
  finished_at: null,
  ...over,
});

describe("Toolkit.runStatuses", () => {
  const home = tempHome();
  withRuns(home, [
    runRecord("torn-down"),
    runRecord("pooled", { instance: "local-x" }),
    runRecord("cut", { interrupted_at: "2026-01-01T01:00:00.000Z" }),
    runRecord("again", { submitted_at: "2026-01-01T00:00:00.000Z" }),
  ]);
  withLocalPool(home, [{ name: "local-x" }]);
  withPending(home, [
    pendingRecord(home, "again"),
    pendingRecord(home, "given-up", { status: "failed", submitted_at: "2026-01-01T00:00:00.000Z" }),
  ]);
  const io = recordingIoHost();
  const kit = new Toolkit({ home, env: {}, io });

  it("with -a: says what a missing answer means, and hides a run superseded by a pending one", async () => {
    const { runs, pending } = await kit.runStatuses({ all: true });
    expect(Object.fromEntries(runs.map((r) => [r.record.name, [r.status, r.unanswered]]))).toEqual({
      "torn-down": ["ended", "ended"],
      pooled: ["unreachable", "unreachable"],
      cut: ["interrupted", "interrupted"],
    });
    expect(runs.map((r) => runStatusText(r, false)).sort()).toEqual([
      "ended (instance torn down)",
      "interrupted (instance local-cut disappeared)",
      "unreachable (instance or agent not answering)",
    ]);
    expect(pending.map((p) => [p.pending.name, p.status.status]).sort()).toEqual([
      ["again", "pending"],
      ["given-up", "failed"],
    ]);
  }, 20_000);

  it("without -a: only pending runs and runs whose agent says they are active", async () => {
    const { runs, pending } = await kit.runStatuses({ all: false });
    expect(runs).toEqual([]);
    expect(pending.map((p) => p.pending.name)).toEqual(["again"]);
    expect(io.messages).toEqual([]);
  }, 20_000);
});

describe("runStatusText", () => {
  const row = (v: Partial<RunView>, over: Parameters<typeof runRecord>[1] = {}): RunRow => ({
    record: runRecord("r", over),
    view: view(v),
    status: v.status ?? "running",
    unanswered: null,
    cost: { hourly: 0, accrued: 0 },
  });

  it("shows the stop reason, inactivity with -v only, and resubmissions", () => {
    expect(runStatusText(row({ status: "stopped", stop_reason: "max_duration" }), false)).toBe(
      "stopped (max duration)",
    );
    expect(runStatusText(row({ inactive_seconds: 125 }), true)).toBe("running (inactive for 2m 5s)");
    expect(runStatusText(row({ inactive_seconds: 125 }), false)).toBe("running");
    expect(runStatusText(row({}, { resubmissions: 2 }), false)).toBe(
      "running (resubmitted after 2 interruptions)",
    );
    expect(runStatusText(row({}, { resubmissions: 1, resubmitted_after: "error" }), false)).toBe(
      "running (resubmitted after an error)",
    );
  });
});
