// The diagnostics of failed operations, from engine events recorded from real failed updates
// (test/fixtures/engine-events: the fake cloud with a fault rule, the local backend's fault, a
// program that throws): each failed resource with its provider's message exactly as Pulumi gave it.
import { describe, expect, it } from "vitest";
import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";
import { diagnosticsFromEvents, resourceDiagnostics, urnParts } from "../../../src/engine/diagnostics.js";
import { loadFixture } from "../../fixtures/engine-events/fixture.js";

const AWS_MESSAGE =
  "creating EC2 Instance: operation error EC2: RunInstances, https response error StatusCode: 500, RequestID: ee810162-2c82-4e9c-aad2-3de7905227a6, api error InsufficientInstanceCapacity: We currently do not have sufficient p4d.24xlarge capacity in the Availability Zone you requested (us-east-1b). Our system will be working on provisioning additional capacity. You can currently get p4d.24xlarge capacity by not specifying an Availability Zone in your request or choosing us-east-1a, us-east-1c, us-east-1d, us-east-1e, us-east-1f.";

describe("diagnosticsFromEvents", () => {
  it("keeps the failed resource, its step and the provider's message as given; the stack's own errors apart", () => {
    const { events, error } = loadFixture("aws-capacity");
    expect(diagnosticsFromEvents(events)).toEqual([
      {
        urn: "urn:pulumi:dev::capture-aws::aws:ec2/instance:Instance::pool-vm",
        type: "aws:ec2/instance:Instance",
        name: "pool-vm",
        op: "create",
        message: AWS_MESSAGE,
      },
      { message: "update failed" },
    ]);
    // What the text round trip had to undo: the same message, echoed on every progress line.
    expect(error.message.split(AWS_MESSAGE).length - 1).toBeGreaterThanOrEqual(3);
  });

  it("two resources failing differently are two diagnostics, in the engine's order", () => {
    const found = resourceDiagnostics(diagnosticsFromEvents(loadFixture("gcp-capacity-and-quota").events));
    expect(found.map((d) => [d.name, d.type, d.op])).toEqual([
      ["vm-us-central1-b", "gcp:compute/instance:Instance", "create"],
      ["vm-us-central1-a", "gcp:compute/instance:Instance", "create"],
    ]);
    expect(found[0]?.message).toBe(
      "Error creating instance: googleapi: Error 403: Quota 'NVIDIA_A100_GPUS' exceeded.  Limit: 0.0 in region us-central1., quotaExceeded",
    );
    expect(found[1]?.message).toMatch(
      /^Error waiting for instance to create: The zone 'projects\/proj-1\/zones\/us-central1-a' does not have enough resources available/,
    );
  });

  it("a dynamic provider's error (the local backend's fault) is the resource's message", () => {
    const [vm, ...rest] = diagnosticsFromEvents(loadFixture("local-capacity").events);
    expect(vm).toMatchObject({ type: "pulumi-nodejs:dynamic:Resource", name: "local-fault-1", op: "create" });
    expect(vm?.message).toMatch(
      /^creating local instance: operation error EC2: RunInstances, .* api error InsufficientInstanceCapacity: .*\(zone-a\)\..* choosing zone-b\. \[simulated: faults\.no_capacity in ~\/\.dstack\/config\.yml\]$/,
    );
    expect(rest).toEqual([{ message: "update failed" }]);
  });

  it("a program's exception has no resource, and is kept once", () => {
    const found = diagnosticsFromEvents(loadFixture("program-error").events);
    expect(resourceDiagnostics(found)).toEqual([]);
    expect(found.map((d) => d.message.split("\n")[0])).toEqual([
      "Unhandled exception: Error: the compiled spec is missing",
      "the compiled spec is missing",
    ]);
  });

  it("a step that failed without a diagnostic is listed with an empty message; debug and warnings are not", () => {
    const urn = "urn:pulumi:dev::p::aws:ec2/instance:Instance::vm";
    const events: EngineEvent[] = [
      { sequence: 1, timestamp: 0, diagnosticEvent: { message: "w\n", color: "never", severity: "warning" } },
      {
        sequence: 2,
        timestamp: 0,
        resOpFailedEvent: {
          metadata: { op: "update", urn, type: "aws:ec2/instance:Instance", provider: "" },
          status: 0,
          steps: 1,
        },
      },
    ];
    expect(diagnosticsFromEvents(events)).toEqual([
      { urn, type: "aws:ec2/instance:Instance", name: "vm", op: "update", message: "" },
    ]);
  });
});

describe("urnParts", () => {
  it("reads the type (the last of a parent chain) and the name", () => {
    expect(urnParts("urn:pulumi:dev::dstack::pulumi:pulumi:Stack::dstack-dev")).toEqual({
      type: "pulumi:pulumi:Stack",
      name: "dstack-dev",
    });
    expect(urnParts("urn:pulumi:dev::dstack::dstack:pool:Aws$aws:ec2/instance:Instance::vm-0")).toEqual({
      type: "aws:ec2/instance:Instance",
      name: "vm-0",
    });
    expect(urnParts("not a urn")).toBeUndefined();
  });
});
