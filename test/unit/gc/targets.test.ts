// Where `dstack gc` looks (src/gc/targets.ts): the configured cloud backends' regions (every catalog
// region for an aws backend listing none), the regions of pool and fleet records, the gcp project,
// the state backends records name; Azure named as not searchable; nothing to look in is a UserError.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { UserError } from "../../../src/errors.js";
import { gcTargets } from "../../../src/gc/targets.js";
import { writePool } from "../../../src/pools/pool-store.js";

const homes: string[] = [];
afterAll(() => homes.forEach((h) => rmSync(h, { recursive: true, force: true })));

function home(config?: string): string {
  const dir = mkdtempSync(join(tmpdir(), "dstack-gc-targets-"));
  homes.push(dir);
  mkdirSync(join(dir, ".dstack"), { recursive: true });
  if (config !== undefined) writeFileSync(join(dir, ".dstack", "config.yml"), config);
  return dir;
}

describe("gcTargets", () => {
  it("takes the configured regions and the gcp project, and names Azure as not searched", () => {
    const h = home(
      "backends:\n  - type: aws\n    regions: [us-west-2, us-east-1]\n  - type: gcp\n    project: my-proj\n  - type: azure\n    regions: [eastus]\n  - type: local\n",
    );
    const t = gcTargets(h, {});
    expect(t.aws).toEqual(["us-east-1", "us-west-2"]);
    expect(t.gcp).toEqual(["my-proj"]);
    expect(t.unsearched).toEqual([expect.stringMatching(/^azure: azure-native has no call/)]);
    expect(t.recordBackends).toEqual([]);
  });

  it("an aws backend without regions means every catalog region; gcp's project may come from the environment", () => {
    const t = gcTargets(home("backends:\n  - type: aws\n  - type: gcp\n"), { GOOGLE_PROJECT: "env-proj" });
    expect(t.aws.length).toBeGreaterThan(5);
    expect(t.aws).toContain("us-east-1");
    expect(t.gcp).toEqual(["env-proj"]);
  });

  it("a gcp backend without a project is reported as not searched", () => {
    const t = gcTargets(home("backends:\n  - type: gcp\n    regions: [us-central1]\n"), {});
    expect(t.gcp).toEqual([]);
    expect(t.unsearched).toEqual([expect.stringContaining("gcp: no project")]);
  });

  it("adds the region and state backend of every cloud pool record", () => {
    const h = home("backends:\n  - type: aws\n    regions: [us-east-1]\n");
    writePool(h, {
      name: "aws-eu-west-1",
      backend: "aws",
      region: "eu-west-1",
      instances: [],
      backend_url: "file:///elsewhere/state",
    });
    writePool(h, { name: "local", backend: "local", instances: [] });
    const t = gcTargets(h, {});
    expect(t.aws).toEqual(["eu-west-1", "us-east-1"]);
    expect(t.recordBackends).toEqual(["file:///elsewhere/state"]);
  });

  it("with no cloud backend and no cloud records there is nothing to look in", () => {
    expect(() => gcTargets(home(), {})).toThrow(UserError);
    expect(() => gcTargets(home("backends:\n  - type: local\n"), {})).toThrow(/no cloud backend to look in/);
  });
});
