// Fleets in the session: `apply` of a fleet (its engine, network settings and keys filled in; with -d a
// wait for capacity handed to `dstack _provision-fleet NAME`), and that background process itself:
// wait until the fleet record names it, carry on the failover loop, say how it ended.
import { ownRecord } from "./own-record.js";
import type { MatchedOffer } from "../catalog/offer.js";
import type { FleetSpec, Spec } from "../compiler/spec.js";
import { UserError } from "../errors.js";
import { applyFleet, type FleetApplyInput, type FleetApplyResult } from "../fleets/apply-fleet.js";
import { resumeFleet } from "../fleets/resume-fleet.js";
import { readFleet, type FleetRecord } from "../fleets/store.js";
import { provisionTuning } from "../provisioning/provision-tuning.js";
import { fleetProvisionLogFile } from "../home/paths.js";
import { startBackground } from "../runs/pending-process.js";
import type { Toolkit } from "./toolkit.js";

export interface ToolkitFleetInput extends Pick<
  FleetApplyInput,
  "spec" | "configFile" | "cwd" | "dryRun" | "verbose"
> {
  backendUrl?: string;
  /** apply -d: hand a wait for capacity to a background process, which compiles these flags again. */
  detachWith?: Readonly<Record<string, unknown>>;
  renderOffers: (matched: readonly MatchedOffer[]) => string;
}

export function applyFleetIn(kit: Toolkit, input: ToolkitFleetInput): Promise<FleetApplyResult> {
  const { backendUrl, detachWith, renderOffers, ...rest } = input;
  return applyFleet({
    ...rest,
    home: kit.home,
    pools: kit.fleetPools(backendUrl),
    tuning: provisionTuning(kit.env),
    signal: kit.signal,
    detachRetry:
      detachWith === undefined
        ? undefined
        : (pending) =>
            startBackground(kit.home, {
              command: "_provision-fleet",
              name: pending.name,
              logFile: pending.retrying?.log_file ?? fleetProvisionLogFile(kit.home, pending.name),
              cwd: input.cwd,
              applyValues: detachWith,
              env: kit.env,
            }),
    ui: kit.ui(renderOffers),
  });
}

/** The record names this process once `apply` has written its stamp (right after starting it). */

/** `specOf(cwd)`: the configuration compiled again (the CLI's flags) in the folder apply ran in. */
export async function resumeFleetIn(
  kit: Toolkit,
  name: string,
  specOf: (cwd: string) => Spec | null,
): Promise<FleetRecord | undefined> {
  const { home, io } = kit;
  const pending = await ownRecord(
    () => readFleet(home, name),
    (f) => f.retrying?.process?.pid,
  );
  const retrying = pending?.retrying;
  if (pending === undefined || retrying === undefined) {
    io.notify({
      code: "fleet.resume",
      level: "error",
      text: `no pending fleet ${name} names this process (${process.pid}); exiting`,
      data: { fleet: name, pid: process.pid, ours: false },
    });
    return undefined;
  }
  io.notify({
    code: "fleet.resume",
    level: "info",
    text: `retrying fleet ${name} in the background: pass ${retrying.pass + 1} at ${retrying.next_try_at ?? "once"}`,
    data: {
      fleet: name,
      pid: process.pid,
      ours: true,
      pass: retrying.pass + 1,
      next_try_at: retrying.next_try_at,
    },
  });
  const spec = specOf(retrying.cwd);
  if (spec?.type !== "fleet")
    throw new UserError("config", `${pending.config_file} no longer compiles to a fleet (see above)`);
  const { value: fleet } = await resumeFleet({
    spec: spec satisfies FleetSpec,
    pending,
    home,
    pools: kit.fleetPools(pending.stack.backend_url),
    tuning: provisionTuning(kit.env),
    signal: kit.signal,
    progress: (line) => io.notify({ code: "provision.progress", level: "info", text: line }),
  });
  io.notify({
    code: "fleet.provisioned",
    level: "info",
    text: `fleet ${fleet.name} provisioned: ${fleet.instances.length} x ${fleet.instance_type} in ${fleet.zone ?? fleet.region}`,
    data: {
      fleet: fleet.name,
      instances: fleet.instances.length,
      zone: fleet.zone ?? null,
      region: fleet.region,
    },
  });
  return fleet;
}
