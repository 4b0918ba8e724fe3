// Which fleets `apply` provisions and on which offers: clouds only, every zone of an offer, spot first
// for auto; SSH fleets, elastic 0-node fleets and local-only fleets are refused with a reason.
import { describe, expect, it } from "vitest";
import { UserError } from "../../../src/errors.js";
import { fleetPlan } from "../../../src/fleets/fleet-plan.js";
import { offer } from "../planner/fixtures.js";
import { fleetSpec } from "./fixtures.js";

const cpuOffer = (over: Parameters<typeof offer>[0]) =>
  offer({
    gpu_vendor: null,
    gpu_name: null,
    gpu_count: 0,
    gpu_memory_gb: 0,
    cpus: 8,
    memory_gb: 32,
    ...over,
  });

const offers = [
  cpuOffer({ backend: "local", region: "local", price: 0 }),
  cpuOffer({ backend: "aws", region: "us-east-1", zones: ["use1-az1", "use1-az2"], price: 0.1, spot: true }),
  cpuOffer({ backend: "aws", region: "us-east-1", zones: ["use1-az1", "use1-az2"], price: 0.3 }),
  cpuOffer({ backend: "gcp", region: "us-central1", zones: ["us-central1-a"], price: 0.2 }),
];

function refusal(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error("not refused");
}

describe("fleetPlan", () => {
  it("plans cloud offers only, each zone its own attempt, spot first for auto", () => {
    const plan = fleetPlan(fleetSpec("nodes: 2\nspot_policy: auto\n"), offers);
    expect(plan.matched.map((o) => o.backend)).toContain("local");
    expect(plan.cloud.every((o) => o.backend !== "local")).toBe(true);
    expect(plan.planNow().map((a) => `${a.backend} ${a.zone} ${a.spot ? "spot" : "od"}`)).toEqual([
      "aws use1-az1 spot",
      "aws use1-az2 spot",
      "gcp us-central1-a od",
      "aws use1-az1 od",
      "aws use1-az2 od",
    ]);
  });

  it("respects backends and zones from the configuration", () => {
    const plan = fleetPlan(
      fleetSpec("nodes: 1\nbackends: [aws]\navailability_zones: [use1-az2]\nspot_policy: on-demand\n"),
      offers,
    );
    expect(plan.planNow().map((a) => [a.backend, a.zone, a.spot])).toEqual([["aws", "use1-az2", false]]);
  });

  it("refuses a fleet only the local backend matches, saying why", () => {
    const error = refusal(() => fleetPlan(fleetSpec("nodes: 1\nbackends: [local]\n"), offers));
    expect(error.code).toBe("unsupported");
    expect(error.message).toContain("fleets on the local backend are not supported");
    expect(error.hint).toContain("backends: [aws]");
  });

  it("refuses a fleet no cloud offer matches", () => {
    const error = refusal(() => fleetPlan(fleetSpec("nodes: 1\nbackends: [azure]\n"), offers));
    expect(error.code).toBe("no-offer");
  });

  it("refuses SSH fleets and fleets with a target of 0 nodes", () => {
    expect(refusal(() => fleetPlan(fleetSpec("name: elastic\nnodes: 0..2\n"), offers)).message).toContain(
      "fleet elastic has a target of 0 nodes",
    );
    const ssh = fleetSpec(
      "ssh_config:\n  user: ubuntu\n  identity_file: ~/.ssh/id_rsa\n  hosts: [10.0.0.1]\n",
    );
    expect(refusal(() => fleetPlan(ssh, offers)).message).toContain("SSH fleets");
  });
});
