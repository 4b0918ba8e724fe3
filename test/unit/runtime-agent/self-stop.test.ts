// The idle teardown backstop: the agent's view of its instance's idle time, the grace it leaves the
// CLI, and a claim restarting the clock. Powering off itself is integration-tested (idle-backstop).
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Docker } from "../../../src/runtime-agent/docker.js";
import { idleSince, selfStopGrace, selfStopView, touch } from "../../../src/runtime-agent/self-stop.js";
import type { AgentState, RunRecord } from "../../../src/runtime-agent/state.js";
import { agentConfig, jobSpec } from "./helpers.js";

const T0 = 1_700_000_000_000;

function run(over: Partial<RunRecord>): RunRecord {
  return {
    spec: jobSpec(),
    status: "exited",
    exit_code: 0,
    stop_reason: null,
    message: null,
    container_id: "c1",
    ssh_port: 10022,
    ssh_ready: false,
    repo_uploaded: true,
    submitted_at: T0,
    started_at: T0,
    finished_at: null,
    connections: {},
    last_active_at: null,
    ...over,
  };
}

describe("selfStopGrace", () => {
  it("is the idle_duration itself between 30 s and 2 minutes, never above 2 minutes", () => {
    expect(selfStopGrace(0)).toBe(30);
    expect(selfStopGrace(5)).toBe(30);
    expect(selfStopGrace(60)).toBe(60);
    expect(selfStopGrace(300)).toBe(120);
    expect(selfStopGrace(72 * 3600)).toBe(120);
  });
});

describe("idleSince", () => {
  it("is null while a run holds the instance", () => {
    const state: AgentState = {
      version: 1,
      runs: { a: run({ status: "running" }) },
      instance: { started_at: T0 },
    };
    expect(idleSince(state)).toBeNull();
  });

  it("is the latest of the instance's start, its last claim and its runs' ends", () => {
    const state: AgentState = {
      version: 1,
      runs: {
        a: run({ finished_at: T0 + 5_000 }),
        b: run({ status: "failed", finished_at: T0 + 9_000 }),
      },
      instance: { started_at: T0, touched_at: T0 + 7_000 },
    };
    expect(idleSince(state)).toBe(T0 + 9_000);
    expect(idleSince({ ...state, instance: { started_at: T0, touched_at: T0 + 12_000 } })).toBe(T0 + 12_000);
    expect(idleSince({ version: 1, runs: {}, instance: { started_at: T0 } })).toBe(T0);
  });
});

describe("selfStopView", () => {
  it("stops idle_duration plus the grace after the instance became idle", () => {
    const state: AgentState = { version: 1, runs: {}, instance: { started_at: T0 } };
    expect(selfStopView(300, state)).toEqual({
      idle_duration_s: 300,
      idle_since: T0,
      stops_at: T0 + 420_000,
    });
  });

  it("never stops without an idle_duration (off, or an instance made before the backstop)", () => {
    const state: AgentState = { version: 1, runs: {}, instance: { started_at: T0 } };
    expect(selfStopView(null, state).stops_at).toBeNull();
  });

  it("takes the idle_duration set through the API over the configured one, null included", () => {
    const state: AgentState = { version: 1, runs: {}, instance: { started_at: T0, idle_duration_s: 10 } };
    expect(selfStopView(300, state).stops_at).toBe(T0 + 40_000);
    const off: AgentState = { version: 1, runs: {}, instance: { started_at: T0, idle_duration_s: null } };
    expect(selfStopView(300, off).stops_at).toBeNull();
  });
});

describe("touch (a CLI's claim)", () => {
  it("restarts the idle clock, sets the idle_duration when given, and persists it", () => {
    const dir = mkdtempSync(join(tmpdir(), "dstack-self-stop-"));
    let now = T0;
    const ctx = {
      config: agentConfig({ data_dir: dir, idle_duration_s: 300 }),
      docker: new Docker("/nonexistent.sock"),
      state: { version: 1, runs: {} } as AgentState,
      now: () => now,
    };
    now = T0 + 60_000;
    expect(touch(ctx, 20)).toEqual({ idle_duration_s: 20, idle_since: T0 + 60_000, stops_at: T0 + 110_000 });
    now = T0 + 90_000;
    expect(touch(ctx).idle_duration_s).toBe(20);
    const saved = JSON.parse(readFileSync(join(dir, "state.json"), "utf8")) as AgentState;
    expect(saved.instance).toEqual({ started_at: T0 + 60_000, touched_at: T0 + 90_000, idle_duration_s: 20 });
  });
});
