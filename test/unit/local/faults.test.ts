// Fault injection of the local backend: the decision is a pure function of the faults, the zone, the
// clock and whether no_capacity_until_file exists; the state file starts the clock at the first attempt
// and restarts it when the faults change.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { classifyCloudError } from "../../../src/planner/error-table.js";
import {
  capacityFault,
  checkCapacityFault,
  faultsKey,
  nextFaultState,
  type FaultInputs,
} from "../../../src/stacks/local/faults.js";

const faults = (over: Partial<FaultInputs> = {}): FaultInputs => ({
  zones: ["zone-a", "zone-b", "zone-c"],
  no_capacity: ["zone-a", "zone-b"],
  no_capacity_for: null,
  state_file: join(mkdtempSync(join(tmpdir(), "dstack-faults-")), "faults.json"),
  ...over,
});

describe("capacityFault", () => {
  it("fails a listed zone with AWS's InsufficientInstanceCapacity text, naming the zone", () => {
    const text = capacityFault(faults(), "zone-a", 0, 0)!;
    expect(text).toContain("api error InsufficientInstanceCapacity: ");
    expect(text).toContain("the Availability Zone you requested (zone-a)");
    // Like AWS, it names the zones that do have capacity.
    expect(text).toContain("or choosing zone-c.");
    expect(classifyCloudError(text, "local")).toMatchObject({
      code: "InsufficientInstanceCapacity",
      entry: { kind: "capacity", decision: "next-zone" },
    });
  });

  it("lets other zones and instances without a zone through", () => {
    expect(capacityFault(faults(), "zone-c", 0, 0)).toBeNull();
    expect(capacityFault(faults(), null, 0, 0)).toBeNull();
    expect(capacityFault(faults(), undefined, 0, 0)).toBeNull();
  });

  it("without no_capacity_for the fault never clears", () => {
    expect(capacityFault(faults(), "zone-b", 0, 365 * 86_400_000)).not.toBeNull();
  });

  it("with no_capacity_for it clears that long after the first attempt, to the millisecond", () => {
    const f = faults({ no_capacity_for: 60 });
    const first = 1_000_000;
    expect(capacityFault(f, "zone-a", first, first)).toContain("in 60s");
    expect(capacityFault(f, "zone-a", first, first + 59_999)).toContain("in 1s");
    expect(capacityFault(f, "zone-a", first, first + 60_000)).toBeNull();
  });

  it("with no_capacity_until_file it clears once that file exists, whatever the time", () => {
    const f = faults({ no_capacity_until_file: "/tmp/capacity" });
    expect(capacityFault(f, "zone-a", 0, 365 * 86_400_000, false)).toContain(
      "[simulated: faults.no_capacity in ~/.dstack/config.yml, clearing once /tmp/capacity exists]",
    );
    expect(capacityFault(f, "zone-a", 0, 0, true)).toBeNull();
    // Without the setting, an existing file changes nothing.
    expect(capacityFault(faults(), "zone-a", 0, 0, true)).not.toBeNull();
  });

  it("names no alternative when every zone is faulted", () => {
    const text = capacityFault(faults({ no_capacity: ["zone-a", "zone-b", "zone-c"] }), "zone-c", 0, 0)!;
    expect(text).not.toContain("choosing");
  });
});

describe("the first-attempt clock", () => {
  it("starts at the first attempt, keeps running, and restarts when the faults change", () => {
    const key = faultsKey(faults());
    const first = nextFaultState(undefined, key, 100);
    expect(first).toEqual({ faults: key, first_attempt_at: 100 });
    expect(nextFaultState(first, key, 500)).toBe(first);
    const other = faultsKey(faults({ no_capacity_for: 5 }));
    expect(nextFaultState(first, other, 900)).toEqual({ faults: other, first_attempt_at: 900 });
  });

  it("the key ignores the order of zones and the state file", () => {
    expect(faultsKey(faults({ no_capacity: ["zone-b", "zone-a"] }))).toBe(faultsKey(faults()));
  });

  it("is kept in the state file between processes", () => {
    const f = faults({ no_capacity_for: 10 });
    expect(checkCapacityFault(f, "zone-a", 1_000)).not.toBeNull();
    expect(JSON.parse(readFileSync(f.state_file, "utf8"))).toMatchObject({ first_attempt_at: 1_000 });
    expect(checkCapacityFault(f, "zone-a", 10_999)).not.toBeNull();
    expect(checkCapacityFault(f, "zone-a", 11_000)).toBeNull();
    // Changed faults: the clock restarts, so the fault is back.
    const changed = { ...f, no_capacity_for: 20 };
    expect(checkCapacityFault(changed, "zone-a", 12_000)).not.toBeNull();
    expect(JSON.parse(readFileSync(f.state_file, "utf8"))).toMatchObject({ first_attempt_at: 12_000 });
  });

  it("checks no_capacity_until_file on disk at every attempt", () => {
    const dir = mkdtempSync(join(tmpdir(), "dstack-faults-"));
    const f = faults({ no_capacity_until_file: join(dir, "capacity") });
    expect(checkCapacityFault(f, "zone-a", 1_000)).not.toBeNull();
    expect(checkCapacityFault(f, "zone-a", 2_000)).not.toBeNull();
    writeFileSync(join(dir, "capacity"), "");
    expect(checkCapacityFault(f, "zone-a", 3_000)).toBeNull();
  });

  it("the key names no_capacity_until_file only when it is set (earlier keys stay as they were)", () => {
    expect(faultsKey(faults())).toBe('{"no_capacity":["zone-a","zone-b"],"no_capacity_for":null}');
    expect(faultsKey(faults({ no_capacity_until_file: "/f" }))).not.toBe(faultsKey(faults()));
  });

  it("a damaged state file starts the clock again", () => {
    const f = faults({ no_capacity_for: 10 });
    writeFileSync(f.state_file, "{not json");
    expect(checkCapacityFault(f, "zone-a", 5_000)).not.toBeNull();
    expect(checkCapacityFault(f, "zone-a", 15_000)).toBeNull();
  });
});
