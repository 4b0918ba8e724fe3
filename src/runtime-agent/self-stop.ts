// The backstop of idle teardown: the CLI (its reaper) normally destroys an idle instance through Pulumi
// at idle_duration. Should no CLI do it (the laptop asleep or gone, the reaper killed), the agent powers
// its own instance off a grace period later, with nothing but what the VM has: no cloud credentials. On
// AWS the instance is created with instanceInitiatedShutdownBehavior "terminate", so a power-off
// terminates it (root disk deleted with it, volumes kept); a local or fake-cloud instance's container
// exits. The next dstack command then finds it gone and removes it from its pool's stack.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { save, type AgentContext } from "./context.js";
import { log } from "./log.js";
import { isBuildFinished, isFinished, type AgentState } from "./state.js";

/** The grace past idle_duration: long enough for the CLI's destroy to win, never above 2 minutes. */
export function selfStopGrace(idleSeconds: number): number {
  return Math.min(120, Math.max(30, idleSeconds));
}

/** The idle_duration in force: the one set through the API (a reusing run's), else the configured one. */
export function idleDurationOf(configured: number | null, state: AgentState): number | null {
  const set = state.instance?.idle_duration_s;
  return set === undefined ? configured : set;
}

/** Since when the instance has been idle (ms), or null while a run or a build holds it. Pure. */
export function idleSince(state: AgentState): number | null {
  const runs = Object.values(state.runs);
  const builds = Object.values(state.builds ?? {});
  if (runs.some((r) => !isFinished(r.status)) || builds.some((b) => !isBuildFinished(b.status))) return null;
  const times = [state.instance?.started_at ?? 0, state.instance?.touched_at ?? 0];
  for (const r of runs) times.push(r.finished_at ?? r.submitted_at);
  for (const b of builds) times.push(b.finished_at ?? b.started_at);
  return Math.max(...times);
}

export interface SelfStopView {
  idle_duration_s: number | null;
  idle_since: number | null;
  /** When the agent powers the instance off unless something happens first (ms), or null. */
  stops_at: number | null;
}

export function selfStopView(configured: number | null, state: AgentState): SelfStopView {
  const idle = idleDurationOf(configured, state);
  const since = idleSince(state);
  return {
    idle_duration_s: idle,
    idle_since: since,
    stops_at: idle === null || since === null ? null : since + (idle + selfStopGrace(idle)) * 1000,
  };
}

/** The record of the instance's own start (kept across agent restarts in the state file). */
export function ensureInstanceRecord(ctx: AgentContext): void {
  if (ctx.state.instance !== undefined) return;
  ctx.state.instance = { started_at: ctx.now() };
  save(ctx);
}

/** A job is coming (a CLI claimed the instance) or the idle_duration changes: the idle clock restarts. */
export function touch(ctx: AgentContext, idleDuration?: number | null): SelfStopView {
  ensureInstanceRecord(ctx);
  const instance = ctx.state.instance ?? { started_at: ctx.now() };
  ctx.state.instance = {
    ...instance,
    touched_at: ctx.now(),
    ...(idleDuration === undefined ? {} : { idle_duration_s: idleDuration }),
  };
  save(ctx);
  return selfStopView(ctx.config.idle_duration_s, ctx.state);
}

let stopping = false;

/** Called every supervision period: powers the instance off once its idle time is past due. */
export function checkSelfStop(ctx: AgentContext): boolean {
  if (stopping) return true;
  const view = selfStopView(ctx.config.idle_duration_s, ctx.state);
  if (view.stops_at === null || ctx.now() < view.stops_at) return false;
  stopping = true;
  const idleFor = Math.round((ctx.now() - (view.idle_since ?? 0)) / 1000);
  const note = {
    at: new Date(ctx.now()).toISOString(),
    idle_since: new Date(view.idle_since ?? 0).toISOString(),
    idle_duration_s: view.idle_duration_s,
  };
  log(
    `idle for ${idleFor}s, past idle_duration ${view.idle_duration_s}s and its grace, and no dstack tore ` +
      "this instance down: powering it off",
  );
  try {
    writeFileSync(join(ctx.config.data_dir, "self-stopped.json"), `${JSON.stringify(note)}\n`);
  } catch {
    // the note is a courtesy; powering off matters more
  }
  powerOff();
  return true;
}

/** systemd's power-off on a VM; a container's init (local, fake cloud) is told to stop, as docker stop does. */
function powerOff(): void {
  const init = existsSync("/proc/1/comm") ? readFileSync("/proc/1/comm", "utf8").trim() : "";
  if (init === "systemd") {
    const result = spawnSync("systemctl", ["poweroff"], { stdio: "ignore" });
    if (result.status === 0) return;
    spawnSync("poweroff", ["-f"], { stdio: "ignore" });
    return;
  }
  try {
    process.kill(1, "SIGTERM");
  } catch (error) {
    log(`power-off: cannot signal init: ${error instanceof Error ? error.message : String(error)}`);
  }
}
