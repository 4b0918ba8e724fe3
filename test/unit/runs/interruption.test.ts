// Which interrupted runs are resubmitted and the pending record of a resubmission (pure parts of
// interruption.ts; which instances count as vanished: test/unit/pools/stack-pool.test.ts; the reaper
// end to end is in test/integration/interruption.test.ts).
import { describe, expect, it } from "vitest";
import { resubmission, resubmissionRecord } from "../../../src/runs/interruption.js";
import type { RunRecord } from "../../../src/runs/store.js";

const run = (spec: Record<string, unknown>, over: Partial<RunRecord> = {}): RunRecord => ({
  name: "phoenix",
  type: "task",
  backend: "local",
  pool: "local",
  instance: "local-old",
  instance_ssh_port: 1,
  run_ssh_port: 10022,
  resources: "2..xCPU",
  price: 0,
  submitted_at: "2026-01-01T00:00:00.000Z",
  config_file: "retry.dstack.yml",
  spec: { env: {}, registry_auth: null, ...spec },
  ports: [],
  repo_dir: "/repo",
  ...over,
});

const RETRY = { retry: { on_events: ["interruption"], duration: 600 } };

describe("resubmission", () => {
  it("only with retry on interruption", () => {
    expect(resubmission(run(RETRY))).toEqual({ resubmit: true });
    expect(resubmission(run({ retry: null }))).toMatchObject({ resubmit: false });
    expect(resubmission(run({ retry: { on_events: ["no-capacity"], duration: 600 } }))).toMatchObject({
      resubmit: false,
      why: "retry.on_events has no interruption",
    });
  });

  it("not when the record cannot rerun it: no repository folder, or secrets dstack did not keep", () => {
    expect(resubmission(run(RETRY, { repo_dir: undefined }))).toMatchObject({ resubmit: false });
    expect(resubmission(run({ ...RETRY, env: { TOKEN: "***" } })).resubmit).toBe(false);
    expect(resubmission(run({ ...RETRY, registry_auth: { username: "u", password: "***" } })).resubmit).toBe(
      false,
    );
    expect(resubmission(run({ ...RETRY, env: { PLAIN: "value" } })).resubmit).toBe(true);
  });

  it("the pending record: a new submission now, counted as a resubmission, on a new instance", () => {
    const now = Date.parse("2026-01-01T05:00:00Z");
    const pending = resubmissionRecord(run(RETRY, { resubmissions: 1 }), "/home", "file:///s", now);
    expect(pending).toMatchObject({
      name: "phoenix",
      status: "pending",
      reason: "interrupted",
      attempts: 0,
      pass: 0,
      next_try_at: "2026-01-01T05:00:00.000Z",
      submitted_at: "2026-01-01T05:00:00.000Z",
      retry_until: "2026-01-01T05:10:00.000Z",
      cwd: "/repo",
      resubmissions: 2,
      process: null,
    });
    expect(pending.instance).toMatch(/^local-[0-9a-f]{6}$/);
    expect(pending.instance).not.toBe("local-old");
  });
});
