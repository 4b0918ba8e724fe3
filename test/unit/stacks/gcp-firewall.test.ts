// The pool's firewall rule under setMocks: SSH and the runs' ports, for the pool's instances only, and
// a port change that touches nothing but the rule.
import { describe, expect, it } from "vitest";
import { TYPES, build, installMocks, onlyOfType, poolSpec } from "./gcp-mocks.js";

await installMocks();

const INSTANCE = TYPES.instance;
const FIREWALL = TYPES.firewall;

describe("GCP pool: firewall", () => {
  it("opens 22 and the runs' ports (deduplicated) to the pool's instances", async () => {
    const { resources } = await build(poolSpec({ ports: [8000, 22, 8000, 7860] }));
    const firewall = onlyOfType(resources, FIREWALL);
    expect(firewall.inputs).toMatchObject({
      name: "dstack-main-gpu-pool-ingress",
      network: "default",
      direction: "INGRESS",
      allows: [{ protocol: "tcp", ports: ["22", "7860", "8000"] }],
      sourceRanges: ["0.0.0.0/0"],
      targetTags: onlyOfType(resources, INSTANCE).inputs.tags,
    });
  });

  it("a new port changes the firewall's allows only: same names, same instance inputs", async () => {
    const before = await build(poolSpec({ ports: [] }));
    const after = await build(poolSpec({ ports: [8080] }));
    expect(onlyOfType(after.resources, INSTANCE).inputs).toEqual(
      onlyOfType(before.resources, INSTANCE).inputs,
    );
    const [fwBefore, fwAfter] = [
      onlyOfType(before.resources, FIREWALL),
      onlyOfType(after.resources, FIREWALL),
    ];
    expect(fwAfter.name).toBe(fwBefore.name);
    expect({ ...fwAfter.inputs, allows: null }).toEqual({ ...fwBefore.inputs, allows: null });
    expect(fwAfter.inputs.allows).toEqual([{ protocol: "tcp", ports: ["22", "8080"] }]);
  });
});
