// Injected capacity faults of the local backend (a testing aid, set in ~/.dstack/config.yml): creating an
// instance in a listed zone fails, inside the dynamic provider, with the text AWS gives for
// InsufficientInstanceCapacity, so the failed Pulumi update reads exactly like a cloud's. With
// `no_capacity_for`, the fault clears that long after the first attempt made under this fault
// configuration; the time of that attempt is kept in a small state file, reset when the faults change.
// With `no_capacity_until_file`, it clears once that file exists: a condition a test (or a person) sets.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** The faults as an input of the LocalInstance resource (plain data, stored in the stack state). */
export interface FaultInputs {
  /** Every simulated zone of the backend (to name the ones with capacity, as AWS does). */
  zones: string[];
  no_capacity: string[];
  /** Seconds after the first attempt when the fault clears; null: never. */
  no_capacity_for: number | null;
  /** Absolute path: the fault clears once this file exists. */
  no_capacity_until_file?: string;
  /** e.g. ~/.dstack/local/faults.json */
  state_file: string;
}

export interface FaultState {
  /** Which fault configuration the time belongs to. */
  faults: string;
  /** Epoch milliseconds of the first create attempt under that configuration. */
  first_attempt_at: number;
}

export function faultsKey(
  f: Pick<FaultInputs, "no_capacity" | "no_capacity_for" | "no_capacity_until_file">,
): string {
  return JSON.stringify({
    no_capacity: [...f.no_capacity].sort(),
    no_capacity_for: f.no_capacity_for,
    ...(f.no_capacity_until_file === undefined ? {} : { no_capacity_until_file: f.no_capacity_until_file }),
  });
}

/** The state after an attempt at `now`: kept while the faults are the same, restarted when they change. */
export function nextFaultState(state: FaultState | undefined, key: string, now: number): FaultState {
  return state !== undefined && state.faults === key ? state : { faults: key, first_attempt_at: now };
}

/**
 * The error a create in `zone` fails with at `now`, or null when there is capacity. Pure: `untilFileExists`
 * says whether `no_capacity_until_file` exists.
 */
export function capacityFault(
  f: FaultInputs,
  zone: string | null | undefined,
  firstAttemptAt: number,
  now: number,
  untilFileExists = false,
): string | null {
  if (zone === null || zone === undefined || !f.no_capacity.includes(zone)) return null;
  if (f.no_capacity_for !== null && now - firstAttemptAt >= f.no_capacity_for * 1000) return null;
  if (f.no_capacity_until_file !== undefined && untilFileExists) return null;
  const others = f.zones.filter((z) => z !== zone && !f.no_capacity.includes(z));
  const instead =
    others.length === 0
      ? ""
      : ` You can currently get local capacity by not specifying an Availability Zone in your request or choosing ${others.join(", ")}.`;
  const clears = [
    ...(f.no_capacity_for === null
      ? []
      : [
          `clearing ${f.no_capacity_for}s after the first attempt (in ${Math.ceil((firstAttemptAt + f.no_capacity_for * 1000 - now) / 1000)}s)`,
        ]),
    ...(f.no_capacity_until_file === undefined ? [] : [`clearing once ${f.no_capacity_until_file} exists`]),
  ]
    .map((c) => `, ${c}`)
    .join("");
  return (
    `creating local instance: operation error EC2: RunInstances, https response error StatusCode: 500, ` +
    `RequestID: dstack-local-fault, api error InsufficientInstanceCapacity: We currently do not have ` +
    `sufficient local capacity in the Availability Zone you requested (${zone}). Our system will be ` +
    `working on provisioning additional capacity.${instead} ` +
    `[simulated: faults.no_capacity in ~/.dstack/config.yml${clears}]`
  );
}

function readState(file: string): FaultState | undefined {
  try {
    const value = JSON.parse(readFileSync(file, "utf8")) as Partial<FaultState>;
    return typeof value.faults === "string" && typeof value.first_attempt_at === "number"
      ? { faults: value.faults, first_attempt_at: value.first_attempt_at }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Records this attempt (the first one starts the clock) and says whether it hits a fault. */
export function checkCapacityFault(
  f: FaultInputs,
  zone: string | null | undefined,
  now = Date.now(),
): string | null {
  const before = readState(f.state_file);
  const state = nextFaultState(before, faultsKey(f), now);
  if (state !== before) {
    mkdirSync(dirname(f.state_file), { recursive: true, mode: 0o700 });
    const temp = `${f.state_file}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(state)}\n`, { mode: 0o600 });
    renameSync(temp, f.state_file);
  }
  const untilFileExists = f.no_capacity_until_file !== undefined && existsSync(f.no_capacity_until_file);
  return capacityFault(f, zone, state.first_attempt_at, now, untilFileExists);
}
