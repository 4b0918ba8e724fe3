// Re-applying a running, named run: dstack updates `inactivity_duration` in place, without a restart;
// any other change must wait for the run to stop.
import { UserError } from "../errors.js";
import { AgentSession, isActive } from "./agent-session.js";
import type { ApplyResult, ApplyUi } from "./apply.js";
import { changedFields, inPlaceOnly } from "./changes.js";
import { instanceEndpoint, writeRun, type RunRecord } from "./store.js";

/** The outcome when the run is live, undefined when it is not (then apply submits it anew). */
export async function updateInPlace(
  home: string,
  existing: RunRecord,
  next: Record<string, unknown>,
  privateKey: string,
  ui: ApplyUi,
): Promise<ApplyResult | undefined> {
  const session = await AgentSession.open(instanceEndpoint(existing), privateKey).catch(() => undefined);
  if (session === undefined) return undefined;
  try {
    const view = await session.run(existing.name);
    if (view === undefined || !isActive(view)) return undefined;
    const changed = changedFields(existing.spec, next);
    if (changed.length === 0)
      throw new UserError(
        "run-exists",
        `run ${existing.name} is already running with this configuration`,
        `attach to it with dstack attach ${existing.name}, or stop it with dstack stop ${existing.name}`,
      );
    if (!inPlaceOnly(changed)) {
      throw new UserError(
        "run-exists",
        `run ${existing.name} is running with a different configuration (${changed.join(", ")})`,
        `stop it first (dstack stop ${existing.name}) or use another name`,
      );
    }
    ui.plan(`Detected configuration changes that can be updated in-place: ${JSON.stringify(changed)}`);
    if (!(await ui.confirm("Update the run?"))) return { kind: "declined" };
    const inactivity = next.inactivity_duration;
    await session.update(existing.name, {
      inactivity_duration: typeof inactivity === "number" ? inactivity : null,
    });
    const run = { ...existing, spec: next };
    writeRun(home, run);
    return { kind: "updated", run, changed };
  } finally {
    session.close();
  }
}
