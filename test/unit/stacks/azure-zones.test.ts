// Azure zones: the catalog's `<location>-<n>` becomes the logical number ARM's `zones` property takes.
import { describe, expect, it } from "vitest";
import { armZone, armZones } from "../../../src/stacks/azure/zones.js";

describe("armZone", () => {
  it("takes the logical zone number from a catalog zone and keeps a bare number", () => {
    expect(armZone("eastus-1")).toBe("1");
    expect(armZone("westeurope-3")).toBe("3");
    expect(armZone("2")).toBe("2");
  });

  it("gives a regional resource no zones property", () => {
    expect(armZones(null)).toEqual({});
    expect(armZones("eastus-2")).toEqual({ zones: ["2"] });
  });
});
