// What GET /api/runs/:name answers: the record plus derived figures, without credentials.
import { inactiveSeconds } from "./inactivity.js";
import type { RunRecord, RunStatus, StopReason } from "./state.js";

export interface RunView {
  name: string;
  kind: string;
  image: string;
  status: RunStatus;
  exit_code: number | null;
  stop_reason: StopReason | null;
  message: string | null;
  container_id: string | null;
  ssh_port: number;
  ssh_ready: boolean;
  ports: number[];
  inactive_seconds: number | null;
  inactivity_duration: number | null;
  max_duration: number | null;
  submitted_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function runView(r: RunRecord, now: number): RunView {
  return {
    name: r.spec.name,
    kind: r.spec.kind,
    image: r.spec.image,
    status: r.status,
    exit_code: r.exit_code,
    stop_reason: r.stop_reason,
    message: r.message,
    container_id: r.container_id,
    ssh_port: r.ssh_port,
    ssh_ready: r.ssh_ready,
    ports: r.spec.ports,
    inactive_seconds:
      r.status === "running" && r.started_at !== null ? inactiveSeconds(r, r.started_at, now) : null,
    inactivity_duration: r.spec.inactivity_duration,
    max_duration: r.spec.max_duration,
    submitted_at: new Date(r.submitted_at).toISOString(),
    started_at: iso(r.started_at),
    finished_at: iso(r.finished_at),
  };
}
