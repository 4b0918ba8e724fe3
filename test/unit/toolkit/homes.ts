// Real temporary HOMEs holding run, pending and pool records, as dstack writes them.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writePool, type PoolInstance } from "../../../src/pools/pool-store.js";
import { writePending, type PendingRun } from "../../../src/runs/pending-store.js";
import { writeRun, type RunRecord } from "../../../src/runs/store.js";

export const tempHome = (): string => mkdtempSync(join(tmpdir(), "dstack-toolkit-"));

export function runRecord(name: string, over: Partial<RunRecord> = {}): RunRecord {
  return {
    name,
    type: "task",
    backend: "local",
    pool: "local",
    instance: `local-${name}`,
    instance_ssh_port: 1, // nothing listens there: the instance does not answer
    run_ssh_port: 10022,
    resources: "2..xCPU",
    price: 0,
    submitted_at: "2026-01-01T00:00:00.000Z",
    config_file: ".dstack.yml",
    spec: {},
    ports: [],
    ...over,
  };
}

export function pendingRecord(home: string, name: string, over: Partial<PendingRun> = {}): PendingRun {
  return {
    name,
    type: "task",
    backend: "local",
    status: "pending",
    reason: "no capacity",
    attempts: 3,
    pass: 1,
    next_try_at: "2026-01-01T00:10:00.000Z",
    trying: null,
    process: null,
    instance: `local-${name}`,
    resources: "2..xCPU",
    submitted_at: "2026-01-02T00:00:00.000Z",
    retry_until: "2099-01-01T00:00:00.000Z",
    config_file: ".dstack.yml",
    cwd: home,
    backend_url: `file://${join(home, ".dstack", "state")}`,
    log_file: join(home, ".dstack", "logs", `provision-${name}.log`),
    spec: {},
    ...over,
  };
}

export function withRuns(home: string, runs: RunRecord[]): string {
  for (const run of runs) writeRun(home, run);
  return home;
}

export function withPending(home: string, pending: PendingRun[]): string {
  for (const p of pending) writePending(home, p);
  return home;
}

export function withLocalPool(home: string, instances: Partial<PoolInstance>[]): string {
  writePool(home, {
    name: "local",
    backend: "local",
    instances: instances.map((i) => ({
      name: "local-x",
      created_at: "2026-01-01T00:00:00.000Z",
      idle_duration: 300,
      ...i,
    })),
  });
  return home;
}
