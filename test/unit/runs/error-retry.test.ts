// The `error` retry event (error-retry.ts): which failed runs are resubmitted and when, the pending
// record that sends them back to their instance, and the reaper's pass over an agent's answer
// (real files in a temp home). End to end through the agent: test/integration/error-retry.test.ts.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  errorResubmission,
  errorResubmissionRecord,
  handleFailedRuns,
} from "../../../src/runs/error-retry.js";
import { readPending, writePending } from "../../../src/runs/pending-store.js";
import { readRun, writeRun, type RunRecord } from "../../../src/runs/store.js";
import type { RunView } from "../../../src/runtime-agent/run-view.js";

const RETRY = { retry: { on_events: ["error"], duration: 600 } };
const T0 = Date.parse("2026-01-01T00:00:00Z");
const iso = (ms: number): string => new Date(ms).toISOString();

const run = (spec: Record<string, unknown> = RETRY, over: Partial<RunRecord> = {}): RunRecord => ({
  name: "flaky",
  type: "task",
  backend: "local",
  pool: "local",
  instance: "local-a",
  instance_ssh_port: 1,
  run_ssh_port: 10022,
  resources: "2..xCPU",
  price: 0,
  submitted_at: iso(T0),
  config_file: "flaky.dstack.yml",
  spec: { env: {}, registry_auth: null, ...spec },
  ports: [],
  repo_dir: "/repo",
  ...over,
});

const view = (over: Partial<RunView> = {}): RunView => ({
  name: "flaky",
  kind: "task",
  image: "dstack/base:py3.11",
  status: "failed",
  exit_code: 3,
  stop_reason: "error",
  message: "exited with code 3",
  container_id: "c1",
  ssh_port: 10022,
  ssh_ready: true,
  ports: [],
  inactive_seconds: null,
  inactivity_duration: null,
  max_duration: null,
  submitted_at: iso(T0),
  started_at: iso(T0 + 1000),
  finished_at: iso(T0 + 10_000),
  ...over,
});

describe("errorResubmission", () => {
  it("a failed run under retry on error waits the backoff from its end: 15s, then 30s, 1m, ...", () => {
    expect(errorResubmission(run(), view())).toEqual({ resubmit: true, at: T0 + 10_000 + 15_000 });
    expect(errorResubmission(run(RETRY, { resubmissions: 1 }), view())).toEqual({
      resubmit: true,
      at: T0 + 10_000 + 30_000,
    });
    expect(errorResubmission(run(RETRY, { resubmissions: 2 }), view(), 0.01)).toEqual({
      resubmit: true,
      at: T0 + 10_000 + 600,
    });
  });

  it("not for runs that did not fail with an error, nor without error in on_events", () => {
    expect(errorResubmission(run(), view({ status: "exited", stop_reason: null })).resubmit).toBe(false);
    expect(errorResubmission(run(), view({ stop_reason: "image_pull_failed" })).resubmit).toBe(false);
    expect(
      errorResubmission(run(), view({ status: "stopped", stop_reason: "stopped_by_user" })).resubmit,
    ).toBe(false);
    expect(errorResubmission(run({ retry: { on_events: ["interruption"], duration: 600 } }), view())).toEqual(
      {
        resubmit: false,
        why: "retry.on_events has no error",
      },
    );
    expect(errorResubmission(run({ retry: null }), view()).resubmit).toBe(false);
  });

  it("retry.duration counts from the first submission, so a run failing every time stops", () => {
    const late = view({ finished_at: iso(T0 + 590_000) });
    expect(errorResubmission(run(), late)).toMatchObject({ resubmit: false });
    // The resubmitted record's own submission is recent, but its first one is not.
    const resubmitted = run(RETRY, { submitted_at: iso(T0 + 500_000), first_submitted_at: iso(T0) });
    expect(errorResubmission(resubmitted, late).resubmit).toBe(false);
    expect(errorResubmission(run(RETRY, { submitted_at: iso(T0 + 500_000) }), late).resubmit).toBe(true);
  });

  it("not when the record cannot rerun it: secrets dstack did not keep", () => {
    expect(errorResubmission(run({ ...RETRY, env: { TOKEN: "***" } }), view()).resubmit).toBe(false);
  });

  it("the pending record goes back to the same instance and keeps the first submission", () => {
    const now = T0 + 11_000;
    const pending = errorResubmissionRecord(run(), view(), "/home", "file:///s", T0 + 25_000, now);
    expect(pending).toMatchObject({
      name: "flaky",
      status: "pending",
      on_instance: "local-a",
      next_try_at: iso(T0 + 25_000),
      submitted_at: iso(now),
      first_submitted_at: iso(T0),
      retry_until: iso(T0 + 600_000),
      resubmissions: 1,
      reason: "failed: exited with code 3; resubmission 1",
    });
  });
});

describe("handleFailedRuns (the reaper's pass)", () => {
  const home = (): string => mkdtempSync(join(tmpdir(), "dstack-error-retry-"));
  const stamp = { pid: 4242, host: "test", start: 1 };

  it("writes a pending resubmission with the started process, once", () => {
    const h = home();
    writeRun(h, run());
    const started: string[] = [];
    const start = (p: { name: string }): typeof stamp => (started.push(p.name), stamp);
    expect(handleFailedRuns(h, "local-a", [view()], "file:///s", start, 1, T0 + 11_000)).toEqual([
      { name: "flaky", resubmitted: true },
    ]);
    expect(readPending(h, "flaky")).toMatchObject({ on_instance: "local-a", process: stamp });
    // The next reaper pass sees the same failure: the pending record says it is handled.
    expect(handleFailedRuns(h, "local-a", [view()], "file:///s", start, 1, T0 + 12_000)).toEqual([]);
    expect(started).toEqual(["flaky"]);
  });

  it("leaves alone runs placed elsewhere since, running runs, and runs it does not know", () => {
    const h = home();
    writeRun(h, run(RETRY, { instance: "local-b" }));
    const start = (): typeof stamp => stamp;
    expect(handleFailedRuns(h, "local-a", [view()], "file:///s", start)).toEqual([]);
    expect(
      handleFailedRuns(h, "local-b", [view({ status: "running", stop_reason: null })], "", start),
    ).toEqual([]);
    expect(handleFailedRuns(h, "local-b", [view({ name: "stranger" })], "", start)).toEqual([]);
    expect(readPending(h, "flaky")).toBeUndefined();
  });

  it("says once that retry.duration is used up, and marks the record", () => {
    const h = home();
    writeRun(h, run());
    const late = view({ finished_at: iso(T0 + 599_000) });
    const start = (): typeof stamp => stamp;
    const first = handleFailedRuns(h, "local-a", [late], "file:///s", start, 1, T0 + 600_000);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ name: "flaky", resubmitted: false });
    expect(readRun(h, "flaky")?.error_retry_ended).toBe(iso(T0 + 600_000));
    expect(handleFailedRuns(h, "local-a", [late], "file:///s", start, 1, T0 + 700_000)).toEqual([]);
  });

  it("a resubmission that cannot start leaves no pending record and says why", () => {
    const h = home();
    writeRun(h, run());
    const start = (): never => {
      throw new Error("spawn failed");
    };
    const [outcome] = handleFailedRuns(h, "local-a", [view()], "file:///s", start, 1, T0 + 11_000);
    expect(outcome).toEqual({
      name: "flaky",
      resubmitted: false,
      why: "the resubmission could not start: spawn failed",
    });
    expect(readPending(h, "flaky")).toBeUndefined();
  });

  it("an existing pending record of that name (e.g. a failed retrying) also counts as handled", () => {
    const h = home();
    writeRun(h, run());
    writePending(h, errorResubmissionRecord(run(), view(), h, "", T0, T0));
    expect(handleFailedRuns(h, "local-a", [view()], "", () => stamp)).toEqual([]);
  });
});
