// How ps shows a pending run: waiting (attempt count, next try), trying, starting, dead process, failed.
import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { pendingStatus } from "../../../src/runs/pending-status.js";
import { pendingSupersedes, type PendingRun } from "../../../src/runs/pending-store.js";

const NOW = Date.parse("2026-01-01T12:00:00Z");
const pending = (over: Partial<PendingRun> = {}): PendingRun => ({
  name: "waited",
  type: "task",
  backend: "local",
  status: "pending",
  reason: "no capacity",
  attempts: 7,
  pass: 3,
  next_try_at: new Date(NOW + 120_000).toISOString(),
  trying: null,
  process: { pid: 4242, host: hostname(), start: 1 },
  instance: "local-abc",
  resources: "2..xCPU",
  submitted_at: "2026-01-01T11:50:00Z",
  retry_until: "2026-01-01T12:50:00Z",
  config_file: "retry.dstack.yml",
  cwd: "/repo",
  backend_url: "file:///state",
  log_file: "/home/.dstack/logs/provision-waited.log",
  spec: {},
  ...over,
});

describe("pendingStatus", () => {
  it("waiting between passes: the attempts so far and when the next try is", () => {
    expect(pendingStatus(pending(), true, NOW)).toEqual({
      status: "pending",
      text: "pending (no capacity, attempt 7, next try in 2m)",
    });
    expect(
      pendingStatus(pending({ next_try_at: new Date(NOW + 45_000).toISOString() }), true, NOW).text,
    ).toBe("pending (no capacity, attempt 7, next try in 45s)");
    expect(pendingStatus(pending({ next_try_at: new Date(NOW - 1).toISOString() }), true, NOW).text).toBe(
      "pending (no capacity, attempt 7, next try now)",
    );
  });

  it("while an attempt runs, and before the process has started", () => {
    expect(pendingStatus(pending({ trying: "local zone-a", attempts: 8 }), true, NOW).text).toBe(
      "pending (no capacity, attempt 8 in progress)",
    );
    expect(pendingStatus(pending({ process: null }), false, NOW).text).toBe(
      "pending (no capacity, starting to retry)",
    );
  });

  it("a dead retrying process, or a retrying that gave up, is failed", () => {
    expect(pendingStatus(pending(), false, NOW)).toEqual({
      status: "failed",
      text: "failed (the retrying process 4242 exited)",
    });
    expect(
      pendingStatus(pending({ status: "failed", reason: "no capacity within retry.duration" }), false, NOW),
    ).toEqual({ status: "failed", text: "failed (no capacity within retry.duration, after 7 attempts)" });
  });

  it("a pending record supersedes an older run of the same name, not one submitted after it", () => {
    expect(pendingSupersedes(pending(), undefined)).toBe(true);
    expect(pendingSupersedes(pending(), { submitted_at: "2026-01-01T11:00:00Z" })).toBe(true);
    expect(pendingSupersedes(pending(), { submitted_at: "2026-01-01T11:59:00Z" })).toBe(false);
  });
});
