// The state file: a round trip through a real temp dir, credentials never written, port allocation.
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  allocateSshPort,
  loadState,
  saveState,
  type AgentState,
  type RunRecord,
} from "../../../src/runtime-agent/state.js";
import { jobSpec } from "./helpers.js";

function record(name: string, over: Partial<RunRecord> = {}): RunRecord {
  return {
    spec: jobSpec({ name }),
    status: "running",
    exit_code: null,
    stop_reason: null,
    message: null,
    container_id: "c0ffee",
    ssh_port: 10022,
    ssh_ready: true,
    repo_uploaded: true,
    submitted_at: 1,
    started_at: 2,
    finished_at: null,
    connections: { "0100007F:2726>0100007F:B1E0": 3 },
    last_active_at: 4,
    ...over,
  };
}

describe("state file", () => {
  it("round-trips, atomically, readable only by its owner", () => {
    const dir = mkdtempSync(join(tmpdir(), "dstack-agent-state-"));
    const path = join(dir, "sub", "state.json");
    const state: AgentState = { version: 1, runs: { a: record("a"), b: record("b", { status: "stopped" }) } };
    saveState(path, state);
    const stored = loadState(path);
    expect(stored.runs.a?.spec.env).toEqual({});
    expect({ ...stored.runs.a, spec: { ...stored.runs.a?.spec, env: state.runs.a?.spec.env } }).toEqual(
      state.runs.a,
    );
    expect(readdirSync(join(dir, "sub"))).toEqual(["state.json"]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("never writes registry credentials or env values", () => {
    const dir = mkdtempSync(join(tmpdir(), "dstack-agent-state-"));
    const path = join(dir, "state.json");
    const r = record("a");
    const withAuth = { ...r, spec: { ...r.spec, registry_auth: { username: "u", password: "hunter2" } } };
    saveState(path, { version: 1, runs: { a: withAuth } });
    expect(readFileSync(path, "utf8")).not.toMatch(/hunter2|registry_auth|\/data\/hf/);
  });

  it("starts empty without a file and refuses an unknown version", () => {
    const dir = mkdtempSync(join(tmpdir(), "dstack-agent-state-"));
    expect(loadState(join(dir, "none.json"))).toEqual({ version: 1, runs: {} });
    writeFileSync(join(dir, "v9.json"), '{"version":9,"runs":{}}');
    expect(() => loadState(join(dir, "v9.json"))).toThrow(/unknown state version 9/);
  });
});

describe("allocateSshPort", () => {
  it("takes the lowest port no live run holds; ended runs free theirs", () => {
    const state: AgentState = {
      version: 1,
      runs: {
        a: record("a", { ssh_port: 10022 }),
        b: record("b", { ssh_port: 10023, status: "exited" }),
        c: record("c", { ssh_port: 10024, status: "pending" }),
      },
    };
    expect(allocateSshPort(state, 10022)).toBe(10023);
    expect(allocateSshPort({ version: 1, runs: {} }, 10022)).toBe(10022);
  });
});
