// The one classifier: the providers' messages of a failed operation through the declared error table,
// checked on messages recorded from real failed updates (test/fixtures/engine-events) and on the
// texts each cloud gives.
import { describe, expect, it } from "vitest";
import { failureMessages } from "../../../src/engine/errors.js";
import { classifyFailure, failureHint } from "../../../src/planner/classify-failure.js";
import { classifyCloudError } from "../../../src/planner/error-table.js";
import { fixtureError } from "../../fixtures/engine-events/fixture.js";

describe("classifyFailure", () => {
  it("classifies a failed resource by its provider's message, and keeps that message once", () => {
    const messages = failureMessages(fixtureError("aws-capacity"));
    const got = classifyFailure(messages, "aws");
    expect(got).toMatchObject({
      code: "InsufficientInstanceCapacity",
      entry: { kind: "capacity", decision: "next-zone" },
    });
    expect(got.message).toBe(messages[0]);
    expect(classifyFailure(failureMessages(fixtureError("local-capacity")), "local").code).toBe(
      "InsufficientInstanceCapacity",
    );
  });

  it("two resources failing differently: the row first in the table wins, as in one text", () => {
    const messages = failureMessages(fixtureError("gcp-capacity-and-quota"));
    const got = classifyFailure(messages, "gcp");
    expect(got).toMatchObject({ code: "QUOTA_EXCEEDED", entry: { kind: "quota", decision: "next-region" } });
    expect(got.message).toContain("Quota 'NVIDIA_A100_GPUS' exceeded");
    expect(got.entry).toBe(classifyCloudError(messages.join("\n"), "gcp").entry);
    // Each alone: the zone without resources is the message-only capacity row.
    expect(classifyFailure(messages.slice(1), "gcp").entry?.kind).toBe("capacity");
  });

  it("nothing known: no row, and every message kept for the report", () => {
    const messages = failureMessages(fixtureError("program-error"));
    expect(classifyFailure(messages)).toEqual({ entry: null, code: null, message: messages.join("\n") });
    expect(classifyFailure([])).toEqual({ entry: null, code: null, message: "" });
  });
});

describe("failureHint", () => {
  it.each([
    [
      "creating EC2 Instance: InsufficientInstanceCapacity: We currently do not have sufficient p5.48xlarge capacity",
      "no capacity",
    ],
    [
      "googleapi: Error 503: The zone 'projects/p/zones/us-central1-a' does not have enough resources available to fulfill the request.",
      "no capacity",
    ],
    ['Code="ZONE_RESOURCE_POOL_EXHAUSTED"', "no capacity"],
    [
      'Code="SkuNotAvailable" Message="The requested VM size Standard_ND96isr_H100_v5 is currently not available"',
      "no capacity",
    ],
    ["VcpuLimitExceeded: You have requested more vCPU capacity than your current vCPU limit", "quota"],
    ["No valid credential sources found: NoCredentialProviders", "credentials"],
    ["api error InvalidParameterValue: Value (x) for parameter y is invalid", "parameters"],
    ["api error RequestLimitExceeded: Request limit exceeded.", "throttled"],
  ])("%s -> a hint about %s", (message, about) => {
    expect(failureHint([message])).toContain(about);
  });

  it("none for what the table does not know", () => {
    expect(failureHint(["something else broke"])).toBeUndefined();
  });
});
