// Where a run may go besides a new instance: `fleets: [NAME]` keeps it to those fleets' instances (as
// dstack does), and `creation_policy: reuse` to idle instances of any pool. Both refuse with what was
// looked at when nothing idle fits, before anything is created.
import { closest } from "../compiler/suggest.js";
import type { RunSpec } from "../compiler/spec.js";
import { UserError } from "../errors.js";
import { listFleets } from "../fleets/store.js";
import { listPools } from "../pools/pool-store.js";

/** Every named fleet exists and has been provisioned; else a UserError naming the nearest fleet. */
export function checkFleets(home: string, fleets: readonly string[] | null): void {
  if (fleets === null) return;
  const known = listFleets(home);
  for (const name of fleets) {
    const fleet = known.find((f) => f.name === name);
    if (fleet === undefined) {
      const near = closest(
        name,
        known.map((f) => f.name),
      );
      throw new UserError(
        "fleet-not-found",
        `fleets: no fleet named "${name}"`,
        near === undefined
          ? "create it first (dstack apply -f FLEET.dstack.yml); dstack ps lists fleets"
          : `did you mean "${near}"?`,
      );
    }
    if (fleet.status !== "provisioned")
      throw new UserError(
        "fleet-not-ready",
        `fleets: fleet ${name} is ${fleet.status}, it has no instance to run on yet`,
        "wait until dstack ps shows it provisioned",
      );
  }
}

/** Whether the run may get a new instance when no idle one fits. */
export const mayCreate = (spec: Pick<RunSpec, "fleets" | "instances" | "creation_policy">): boolean =>
  spec.fleets === null && spec.instances === null && spec.creation_policy !== "reuse";

/** Why no instance was reused, for a run that may not create one (see mayCreate). */
export function noIdleInstance(home: string, spec: RunSpec, requirements: string): UserError {
  if (spec.instances !== null) {
    const named = spec.instances.map((s) =>
      "name" in s ? s.name : "hostname" in s ? s.hostname : `${s.fleet.name}-${s.instance}`,
    );
    const all = listPools(home).flatMap((p) => p.instances.map((i) => i.name));
    const unknown = named.filter((n) => !all.includes(n));
    return new UserError(
      "no-idle-instance",
      unknown.length === named.length
        ? `instances: no instance named ${unknown.join(", ")}`
        : `none of the instances ${named.join(", ")} is idle and fits ${requirements}; a run with instances creates none`,
      unknown.length === named.length
        ? "dstack pool ps lists the instances"
        : "stop a run on one (dstack pool ps shows them)",
    );
  }
  if (spec.fleets !== null) {
    const fleets = spec.fleets;
    const instances = listPools(home)
      .filter((p) => p.fleet !== undefined && fleets.includes(p.fleet))
      .flatMap((p) => p.instances);
    const held = instances.length === 1 ? "its 1 instance" : `its ${instances.length} instances`;
    return new UserError(
      "no-idle-instance",
      `no idle instance of ${fleets.length === 1 ? "fleet" : "fleets"} ${fleets.join(", ")} fits ${requirements} (${held}: busy, or made from another offer); a run with fleets creates none`,
      "stop a run on it (dstack ps), or drop `fleets` so that dstack may create an instance",
    );
  }
  return new UserError(
    "no-idle-instance",
    `no idle instance fits ${requirements}, and creation_policy: reuse creates none`,
    "dstack ps -v lists the instances and their runs; or write creation_policy: reuse-or-create",
  );
}
