// Waiting for a submitted run to be reachable, and the errors that say why a run did not start.
import type { RunSpec } from "../compiler/spec.js";
import { UserError } from "../errors.js";
import type { RunView } from "../runtime-agent/run-view.js";
import type { AgentSession } from "./agent-session.js";
import type { ApplyUi } from "./apply.js";

const SUBMIT_TIMEOUT_MS = 10 * 60_000;
/**
 * Polls of the run's status: every 50 ms for the first 2 s (a container on a present image starts in a
 * few hundred milliseconds, and each poll is one small request over the open session), then every
 * 300 ms (an image being pulled, sshd being installed).
 */
const FAST_POLL_MS = 50;
const FAST_POLLS_FOR_MS = 2_000;
const POLL_MS = 300;

export async function waitStarted(
  session: AgentSession,
  name: string,
  type: RunSpec["type"],
  ui: Pick<ApplyUi, "progress">,
): Promise<RunView> {
  const deadline = Date.now() + SUBMIT_TIMEOUT_MS;
  let last = "";
  const fastUntil = Date.now() + FAST_POLLS_FOR_MS;
  for (;;) {
    const view = await session.run(name);
    if (view === undefined) throw new UserError("run-lost", `the agent lost run ${name}`);
    if (view.status !== last) ui.progress(`  ${name}: ${view.status}`);
    last = view.status;
    // A task that ran and exited non-zero is an outcome to report, not a failure to start.
    const ended = view.status === "exited" || view.status === "failed" || view.status === "stopped";
    if (ended && !(type === "task" && view.exit_code !== null)) throwRunFailure(view);
    if (ended || (view.status === "running" && (view.ssh_ready || type === "task"))) return view;
    if (Date.now() > deadline)
      throw new UserError(
        "run-timeout",
        `run ${name} did not start within ${SUBMIT_TIMEOUT_MS / 60_000} minutes (status ${view.status})`,
      );
    await new Promise((r) => setTimeout(r, Date.now() < fastUntil ? FAST_POLL_MS : POLL_MS));
  }
}

export function throwRunFailure(view: RunView): never {
  throw new UserError(
    "run-failed",
    `run ${view.name} ${view.status}${view.stop_reason === null ? "" : ` (${view.stop_reason})`}: ${view.message ?? "no message"}`,
    view.stop_reason === "image_pull_failed"
      ? "the image is neither present locally nor pullable here; build it locally or use one that exists (docker images)"
      : undefined,
  );
}
