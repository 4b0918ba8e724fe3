// A fleet attempt's pool spec and stack names: every node on the attempt's offer and zone (so
// `placement: cluster` holds), the fleet's name as the pool, and the project `dstack generate` uses.
import { describe, expect, it } from "vitest";
import { FLEET_STACK, fleetPoolSpec, stackRef } from "../../../src/fleets/fleet-stack.js";
import { attempt, offer } from "../planner/fixtures.js";
import { fleetSpec } from "./fixtures.js";

describe("fleetPoolSpec", () => {
  it("puts every node of the fleet on the attempt's offer, in its zone", () => {
    const a = attempt(3, offer({ backend: "aws", region: "us-west-2", spot: true }), "usw2-az2");
    const pool = fleetPoolSpec({
      spec: fleetSpec("nodes: 3\nplacement: cluster\nmax_price: 2\n"),
      name: "fast-owl-3",
      attempt: a,
      network: { vpc: "vpc-1" },
      sshPublicKeys: ["ssh-ed25519 AAAA key"],
    });
    expect(pool).toMatchObject({
      pool: "fast-owl-3",
      project: "main",
      backend: "aws",
      region: "us-west-2",
      network: { vpc: "vpc-1" },
      ssh_public_keys: ["ssh-ed25519 AAAA key"],
      volumes: [],
      ports: [],
    });
    expect(pool.instances.map((i) => [i.name, i.zone, i.spot, i.instance_type, i.max_price])).toEqual([
      ["fast-owl-3-0", "usw2-az2", true, "p4d.24xlarge", 2],
      ["fast-owl-3-1", "usw2-az2", true, "p4d.24xlarge", 2],
      ["fast-owl-3-2", "usw2-az2", true, "p4d.24xlarge", 2],
    ]);
    expect(stackRef(pool, "file:///s")).toEqual({
      project: "dstack-main-aws-fast-owl-3",
      stack: FLEET_STACK,
      backend_url: "file:///s",
    });
  });
});
