// The background side of `apply -d` of a fleet under retry (dstack _provision-fleet NAME): the same
// failover loop, resumed where the foreground left it (the next pass, the attempts so far, the wait
// already begun, retry.duration from submission), with the record following every attempt and wait.
// Whatever the outcome, the record says it: provisioned (the attempt writes it), failed with the
// reason, or removed when cancelled (`dstack delete` sends SIGTERM; the attempt cleans up first).
import { loadOffers } from "../catalog/offers.js";
import type { FleetSpec } from "../compiler/spec.js";
import { UserError } from "../errors.js";
import { isCancelled } from "../provisioning/cancelled.js";
import type { ProvisionTuning } from "../provisioning/provision-tuning.js";
import type { Provisioned } from "../provisioning/provision.js";
import { retryingFailure } from "../provisioning/retrying-progress.js";
import type { PoolSet } from "../pools/pool-set.js";
import { fleetPlan } from "./fleet-plan.js";
import { followFleet } from "./pending-fleet.js";
import { provisionFleet } from "./provision-fleet.js";
import { readFleet, removeFleet, writeFleet, type FleetRecord } from "./store.js";

export interface ResumeFleetInput {
  /** The configuration compiled again from the original `apply` flags. */
  spec: FleetSpec;
  pending: FleetRecord;
  home: string;
  pools: PoolSet;
  tuning?: ProvisionTuning;
  signal?: AbortSignal;
  progress: (line: string) => void;
}

export async function resumeFleet(input: ResumeFleetInput): Promise<Provisioned<FleetRecord>> {
  const { pending, home } = input;
  const retrying = pending.retrying;
  if (retrying === undefined) throw new UserError("internal", `fleet ${pending.name} is not pending`);
  try {
    // The file is read again here: if it changed since `apply`, this is not the fleet that was confirmed.
    if (retrying.spec !== undefined && JSON.stringify(input.spec) !== JSON.stringify(retrying.spec))
      throw new UserError(
        "config-changed",
        `${pending.config_file} changed since \`dstack apply\`: not creating a fleet that was not confirmed`,
        `dstack delete ${pending.name}, then apply it again (dstack apply -f ${pending.config_file})`,
      );
    return await provisionFleet({
      home,
      pools: input.pools,
      plan: fleetPlan(input.spec, loadOffers({ backends: input.spec.backends, home }).offers),
      name: pending.name,
      configFile: pending.config_file,
      submittedAt: Date.parse(retrying.submitted_at),
      tuning: input.tuning,
      signal: input.signal,
      progress: input.progress,
      onState: (state) => followFleet(home, pending.name, state),
      resume: {
        pass: retrying.pass + 1,
        attempts: retrying.attempts,
        startAt: retrying.next_try_at === null ? Date.now() : Date.parse(retrying.next_try_at),
      },
      pending,
    });
  } catch (error) {
    if (isCancelled(error)) {
      removeFleet(home, pending.name);
      throw error;
    } else {
      // The latest record (the loop kept it in step), marked failed with why.
      const latest = readFleet(home, pending.name) ?? pending;
      const reason = retryingFailure(error);
      writeFleet(home, {
        ...latest,
        status: "failed",
        retrying: {
          ...(latest.retrying ?? retrying),
          reason,
          trying: null,
          next_try_at: null,
          message: error instanceof Error ? error.message : String(error),
        },
      });
    }
    throw error;
  }
}
