// The readiness watch after a start: ssh_ready turns true as soon as the run's port listens in the
// namespace's /proc/net/tcp, without waiting for a supervision tick; it gives up when the run ends or
// after its window.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { AgentContext } from "../../../src/runtime-agent/context.js";
import type { Docker } from "../../../src/runtime-agent/docker.js";
import type { RunRecord } from "../../../src/runtime-agent/state.js";
import { watchSshReady } from "../../../src/runtime-agent/ssh-ready.js";
import { agentConfig, jobSpec } from "./helpers.js";
import { TCP } from "./proc-samples.js";

const HEADER = TCP.split("\n")[0]!;

function setUp(port: number): { ctx: AgentContext; r: RunRecord; procDir: string } {
  const dir = mkdtempSync(join(tmpdir(), "dstack-ssh-ready-"));
  writeFileSync(join(dir, "tcp"), `${HEADER}\n`);
  const r: RunRecord = {
    spec: jobSpec(),
    status: "running",
    exit_code: null,
    stop_reason: null,
    message: null,
    container_id: "c1",
    ssh_port: port,
    ssh_ready: false,
    repo_uploaded: false,
    submitted_at: 0,
    started_at: 0,
    finished_at: null,
    connections: {},
    last_active_at: null,
  };
  const ctx: AgentContext = {
    config: agentConfig({ data_dir: join(dir, "data"), proc_net_dir: dir }),
    docker: {} as Docker,
    state: { version: 1, runs: { [r.spec.name]: r } },
    now: Date.now,
  };
  return { ctx, r, procDir: dir };
}

describe("watchSshReady", () => {
  it("sets ssh_ready once the run's port listens, well before a supervision tick", async () => {
    const { ctx, r, procDir } = setUp(10022);
    const started = Date.now();
    const watching = watchSshReady(ctx, r, { pollMs: 10, watchMs: 5_000 });
    setTimeout(() => writeFileSync(join(procDir, "tcp"), TCP), 100); // 127.0.0.1:10022 listens
    await watching;
    expect(r.ssh_ready).toBe(true);
    expect(Date.now() - started).toBeLessThan(ctx.config.poll_interval_ms);
  });

  it("ignores other ports and stops when the run ends", async () => {
    const { ctx, r, procDir } = setUp(10024);
    writeFileSync(join(procDir, "tcp"), TCP); // 10022 listens, not 10024
    const watching = watchSshReady(ctx, r, { pollMs: 10, watchMs: 5_000 });
    setTimeout(() => (r.status = "stopped"), 50);
    await watching;
    expect(r.ssh_ready).toBe(false);
  });

  it("gives up after its window, leaving the rest to the supervision ticks", async () => {
    const { ctx, r } = setUp(10024);
    await watchSshReady(ctx, r, { pollMs: 10, watchMs: 60 });
    expect(r.ssh_ready).toBe(false);
    expect(r.status).toBe("running");
  });
});
