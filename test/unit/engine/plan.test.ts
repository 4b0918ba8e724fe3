import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";
import { describe, expect, it } from "vitest";
import { planFromEvents, renderPlan } from "../../../src/engine/plan.js";

const urn = (type: string, name: string): string => `urn:pulumi:dev::dstack::${type}::${name}`;

function pre(op: string, type: string, name: string, extra: Record<string, unknown> = {}): EngineEvent {
  return {
    sequence: 0,
    timestamp: 0,
    resourcePreEvent: { metadata: { op, urn: urn(type, name), type, provider: "", ...extra } },
  } as unknown as EngineEvent;
}

describe("structured plan from engine events", () => {
  it("keeps creates, updates, replaces and deletes, counts the unchanged", () => {
    const plan = planFromEvents([
      pre("create", "pulumi:pulumi:Stack", "dstack-dev"),
      pre("same", "pulumi:providers:aws", "default"),
      pre("create", "aws:ec2/instance:Instance", "pool-0"),
      pre("update", "aws:ec2/securityGroup:SecurityGroup", "sg", {
        diffs: ["ingress"],
        detailedDiff: { "ingress[1]": { diffKind: "add", inputDiff: true } },
      }),
      pre("create-replacement", "aws:ec2/instance:Instance", "old", {
        keys: ["instanceMarketOptions"],
        diffs: ["instanceMarketOptions"],
      }),
      pre("replace", "aws:ec2/instance:Instance", "old", {
        keys: ["instanceMarketOptions"],
        diffs: ["instanceMarketOptions"],
      }),
      pre("delete-replaced", "aws:ec2/instance:Instance", "old"),
      pre("delete", "aws:ebs/volume:Volume", "gone"),
      pre("same", "aws:ebs/volume:Volume", "kept"),
    ]);
    expect(plan.unchanged).toBe(1);
    expect(plan.steps.map((s) => [s.op, s.name, s.changed, s.replaceReasons])).toEqual([
      ["create", "pool-0", [], []],
      ["update", "sg", ["ingress", "ingress[1]"], []],
      ["replace", "old", ["instanceMarketOptions"], ["instanceMarketOptions"]],
      ["delete", "gone", [], []],
    ]);
  });

  it("renders a readable plan that says what forces a replacement", () => {
    const text = renderPlan(
      planFromEvents([
        pre("create", "pulumi-nodejs:dynamic:Resource", "instance-0"),
        pre("replace", "aws:ec2/instance:Instance", "vm", { keys: ["instanceMarketOptions"] }),
      ]),
    );
    expect(text).toContain("+  create  instance-0  pulumi-nodejs:dynamic:Resource");
    expect(text).toContain(
      "+- replace vm  aws:ec2/instance:Instance (replace forced by instanceMarketOptions)",
    );
    expect(text).toContain("1 to create, 1 to replace");
    expect(renderPlan({ steps: [], unchanged: 3 })).toBe("No infrastructure changes (3 unchanged).");
  });
});
