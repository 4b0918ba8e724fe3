// How fleets show in ps: only what the stack reported (addresses), and a fleet whose creator died
// mid-update as interrupted, with the command that cleans it up.
import { describe, expect, it } from "vitest";
import {
  fleetJson,
  fleetRow,
  fleetStatus,
  fleetStatusText,
  fleetWhere,
} from "../../../src/fleets/fleet-view.js";
import { fleetRecord } from "./fixtures.js";

describe("fleet view", () => {
  it("a provisioned fleet: its zone from the instances, its IPs, nodes against the target", () => {
    const fleet = fleetRecord();
    expect(fleetStatus(fleet, false)).toBe("provisioned");
    expect(fleetWhere(fleet)).toBe("us-east-1/us-east-1d");
    expect(fleetRow(fleet, "provisioned")).toEqual([
      "gpus",
      "aws",
      "us-east-1/us-east-1d",
      "t3.large",
      "on-demand",
      "$0.0832",
      "2/2",
      "provisioned (203.0.113.7, 203.0.113.8)",
    ]);
    expect(fleetJson(fleet, "provisioned")).toMatchObject({ status: "provisioned", zone: "use1-az4" });
  });

  it("provisioning while its creator runs, interrupted once it is gone", () => {
    const fleet = fleetRecord({ status: "provisioning", instances: [], zone: null });
    expect(fleetStatus(fleet, true)).toBe("provisioning");
    expect(fleetStatus(fleet, false)).toBe("interrupted");
    expect(fleetStatusText(fleet, "interrupted")).toContain("dstack delete gpus cleans up");
    expect(fleetWhere(fleet)).toBe("us-east-1");
    expect(fleetRow(fleet, "provisioning")[6]).toBe("0/2");
  });
});
