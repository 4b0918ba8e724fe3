// `dstack gc --yes` deletes nothing while a stack is being updated: an apply in progress may have
// created resources its state does not list yet, which would look orphaned (src/gc/gc.ts).
import { describe, expect, it } from "vitest";
import type { FoundResource } from "../../../src/gc/found.js";
import { deleteFound, type GcFindings } from "../../../src/gc/gc.js";

const orphan: FoundResource = {
  cloud: "aws",
  scope: "us-east-1",
  location: "us-east-1a",
  kind: "instance",
  type: "aws:ec2/instance:Instance",
  id: "i-0aaaaaaaaaaaaaaa1",
  name: "",
  tags: { "dstack-managed": "true" },
  created: null,
};

describe("deleteFound", () => {
  it("refuses while a stack has an update in progress, naming it", async () => {
    const findings: GcFindings = {
      targets: { aws: ["us-east-1"], gcp: [], unsearched: [], recordBackends: [] },
      found: [orphan],
      orphans: [orphan],
      stateBackends: ["file:///state"],
      stacks: 1,
      busy: ["organization/dstack-main-aws-pair/fleet"],
      pulumiBinDir: "/nonexistent",
    };
    await expect(
      deleteFound({ home: "/nonexistent", env: {} }, findings, { volumes: true }),
    ).rejects.toMatchObject({
      code: "stack-busy",
      message: expect.stringContaining("organization/dstack-main-aws-pair/fleet is being updated") as string,
    });
  });
});
