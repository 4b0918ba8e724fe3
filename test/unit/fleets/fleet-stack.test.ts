// A fleet attempt's nodes and stack names: every node on the attempt's offer and zone (so
// `placement: cluster` holds), named after the fleet, and the project `dstack generate` uses.
import { describe, expect, it } from "vitest";
import { fleetInstances, stackRef } from "../../../src/fleets/fleet-stack.js";
import { cloudPoolSpec, fleetPlace } from "../../../src/pools/cloud/cloud-pool.js";
import { instanceSpecFor } from "../../../src/stacks/pool-from-spec.js";
import { attempt, offer } from "../planner/fixtures.js";
import { fleetSpec } from "./fixtures.js";

describe("fleetInstances", () => {
  it("puts every node of the fleet on the attempt's offer, in its zone, kept while idle for the fleet's idle_duration", () => {
    const a = attempt(3, offer({ backend: "aws", region: "us-west-2", spot: true }), "usw2-az2");
    const nodes = fleetInstances(
      fleetSpec("nodes: 3\nplacement: cluster\nmax_price: 2\nidle_duration: 1h\n"),
      "fast-owl-3",
      a,
    );
    expect(nodes.map((n) => [n.name, n.attempt.zone, n.attempt.spot, n.max_price, n.idle_duration])).toEqual([
      ["fast-owl-3-0", "usw2-az2", true, 2, 3600],
      ["fast-owl-3-1", "usw2-az2", true, 2, 3600],
      ["fast-owl-3-2", "usw2-az2", true, 2, 3600],
    ]);
    // The fleet's pool spec, as its stack is built from it: the fleet is the pool, no ports face the world.
    const spec = cloudPoolSpec(
      "aws",
      "us-west-2",
      { network: { vpc: "vpc-1" }, sshPublicKeys: ["ssh-ed25519 AAAA key"], privateKey: "" },
      nodes.map((n) => ({
        name: n.name,
        created_at: new Date(0).toISOString(),
        idle_duration: n.idle_duration,
        spec: instanceSpecFor(n.name, n.attempt, n),
      })),
      fleetPlace("fast-owl-3").specPool,
    );
    expect(spec).toMatchObject({
      pool: "fast-owl-3",
      project: "main",
      backend: "aws",
      region: "us-west-2",
      network: { vpc: "vpc-1" },
      ssh_public_keys: ["ssh-ed25519 AAAA key"],
      volumes: [],
      ports: [],
    });
    expect(spec.instances.map((i) => [i.name, i.zone, i.instance_type, i.max_price])).toEqual([
      ["fast-owl-3-0", "usw2-az2", "p4d.24xlarge", 2],
      ["fast-owl-3-1", "usw2-az2", "p4d.24xlarge", 2],
      ["fast-owl-3-2", "usw2-az2", "p4d.24xlarge", 2],
    ]);
    expect(stackRef("fast-owl-3", a, "file:///s")).toEqual({
      project: "dstack-main-aws-fast-owl-3",
      stack: "fleet",
      backend_url: "file:///s",
    });
  });
});
