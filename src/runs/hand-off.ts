// `apply -d` under `retry`: once the first pass found no capacity, the retrying moves to a background
// process so the terminal is free. Here the pending record is written with everything that process
// needs to carry on the same loop (next pass, attempts so far, when to try next, the deadline from
// submission), then the process is started through the injected `start`, and its stamp recorded: the
// process waits for that stamp before it begins, so the record is complete when it reads it.
import { currentOwner } from "../home/owner.js";
import type { ProcessStamp } from "../process-identity.js";
import type { ApplyContext } from "./apply-context.js";
import { provisionLogFile } from "../home/paths.js";
import { removePending, writePending, type PendingRun } from "./pending-store.js";
import type { HandedOff } from "../provisioning/provision.js";

export interface HandOffInput {
  ctx: ApplyContext;
  name: string;
  instance: string;
  submittedAt: number;
  configFile: string;
  repoDir: string;
  handed: HandedOff;
  /** Starts the background process (dstack _provision NAME) and says who it is. */
  start: (pending: PendingRun) => ProcessStamp;
}

export function handOffRetrying(input: HandOffInput): PendingRun {
  const { ctx, handed } = input;
  const home = ctx.pools.home;
  const pending: PendingRun = {
    name: input.name,
    type: ctx.spec.type,
    backend: ctx.planNow()[0]?.backend ?? "local",
    status: "pending",
    reason: handed.waiting.reason,
    attempts: handed.waiting.attempts,
    pass: handed.waiting.pass,
    next_try_at: new Date(handed.waiting.nextTryAt).toISOString(),
    trying: null,
    process: null,
    instance: input.instance,
    resources: ctx.requirements,
    submitted_at: new Date(input.submittedAt).toISOString(),
    retry_until: new Date(input.submittedAt + (ctx.spec.retry?.duration ?? 0) * 1000).toISOString(),
    config_file: input.configFile,
    cwd: input.repoDir,
    backend_url: ctx.pools.ctx.engine.backend.url,
    log_file: provisionLogFile(home, input.name),
    spec: ctx.redacted,
    owner: currentOwner(),
  };
  writePending(home, pending);
  let stamp: ProcessStamp;
  try {
    stamp = input.start(pending);
  } catch (error) {
    // No process to carry on: no pending run either (else ps would show it "starting" forever).
    removePending(home, input.name);
    throw error;
  }
  const started = { ...pending, process: stamp };
  writePending(home, started);
  return started;
}
