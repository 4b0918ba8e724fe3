// Where a run may go when it may not create an instance: `fleets: [NAME]` must name provisioned fleets
// (a near name is suggested), and the refusal says what was looked at; `creation_policy: reuse` says
// that it creates none. Pure over records in a temporary home.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../../../src/compiler/compile.js";
import type { RunSpec } from "../../../src/compiler/spec.js";
import { writeFleet } from "../../../src/fleets/store.js";
import { writePool } from "../../../src/pools/pool-store.js";
import { checkFleets, mayCreate, noIdleInstance } from "../../../src/runs/fleet-placement.js";
import { fleetRecord } from "../fleets/fixtures.js";

function runSpec(yaml: string): RunSpec {
  const result = compile({
    file: "run.dstack.yml",
    text: `type: task\ncommands: [hostname]\n${yaml}`,
    noProfile: true,
  });
  if (result.spec === null || result.spec.type === "fleet" || result.spec.type === "volume")
    throw new Error(`not a run: ${result.diagnostics.map((d) => d.message).join("; ")}`);
  return result.spec;
}

function home(): string {
  const dir = mkdtempSync(join(tmpdir(), "dstack-fleet-placement-"));
  writeFleet(dir, fleetRecord({ name: "gpus" }));
  writeFleet(dir, fleetRecord({ name: "later", status: "pending", instances: [] }));
  writePool(dir, {
    name: "gpus",
    fleet: "gpus",
    backend: "aws",
    region: "us-east-1",
    instances: ["gpus-0", "gpus-1"].map((name) => ({
      name,
      created_at: "2026-01-01T00:00:00.000Z",
      idle_duration: 259200,
    })),
  });
  return dir;
}

describe("fleet placement", () => {
  it("compiles fleets from the configuration (null when absent) and decides whether a run may create", () => {
    expect(runSpec("").fleets).toBeNull();
    expect(mayCreate(runSpec(""))).toBe(true);
    expect(runSpec("fleets: [gpus, cpus]\n").fleets).toEqual(["gpus", "cpus"]);
    expect(mayCreate(runSpec("fleets: [gpus]\n"))).toBe(false);
    expect(mayCreate(runSpec("creation_policy: reuse\n"))).toBe(false);
  });

  it("accepts provisioned fleets, refuses an unknown one with the nearest name, and one not provisioned yet", () => {
    const h = home();
    expect(() => checkFleets(h, null)).not.toThrow();
    expect(() => checkFleets(h, ["gpus"])).not.toThrow();
    expect(() => checkFleets(h, ["gpu"])).toThrow(
      expect.objectContaining({ code: "fleet-not-found", hint: 'did you mean "gpus"?' }),
    );
    expect(() => checkFleets(h, ["later"])).toThrow(
      "fleets: fleet later is pending, it has no instance to run on yet",
    );
  });

  it("says what was looked at when nothing idle fits", () => {
    const h = home();
    const fleets = noIdleInstance(h, runSpec("fleets: [gpus]\n"), "cpu=2..");
    expect(fleets.message).toBe(
      "no idle instance of fleet gpus fits cpu=2.. (its 2 instances: busy, or made from another offer); a run with fleets creates none",
    );
    const reuse = noIdleInstance(h, runSpec("creation_policy: reuse\n"), "cpu=2..");
    expect(reuse.message).toBe("no idle instance fits cpu=2.., and creation_policy: reuse creates none");
  });
});
