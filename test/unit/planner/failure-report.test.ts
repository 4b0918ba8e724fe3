// The failure report: one row per try with the cloud's code and the informative part of its message,
// and hints derived from how the tries failed.
import { describe, expect, it } from "vitest";
import { classifyCloudError } from "../../../src/planner/error-table.js";
import {
  failureReportJson,
  relaxHints,
  renderFailureReport,
  summarizeMessage,
  type FailedTry,
} from "../../../src/planner/failure-report.js";
import { attempt, offer } from "./fixtures.js";

const AWS_ICE =
  "error: 1 error occurred:\n\t* creating EC2 Instance: operation error EC2: RunInstances, https response error StatusCode: 500, RequestID: 0c3f, api error InsufficientInstanceCapacity: We currently do not have sufficient p5.48xlarge capacity in the Availability Zone you requested (us-east-1a).\n\naws:ec2:Instance (dstack-run)";
const GCP_POOL =
  "error: 1 error occurred:\n\t* Error creating instance: googleapi: Error 503: The zone 'projects/p/zones/us-central1-a' does not have enough resources available to fulfill the request.  Try a different zone, or try again later., ZONE_RESOURCE_POOL_EXHAUSTED";
const GCP_QUOTA =
  "Error creating instance: googleapi: Error 403: Quota 'NVIDIA_A100_GPUS' exceeded.  Limit: 0.0 in region us-central1., quotaExceeded";

const AWS_SPOT = offer({
  backend: "aws",
  region: "us-east-1",
  instance_type: "p5.48xlarge",
  spot: true,
  price: 40,
});
const GCP_OD = offer({
  backend: "gcp",
  region: "us-central1",
  instance_type: "a2-highgpu-1g",
  price: 3.6731,
});

function failed(
  n: number,
  o: typeof AWS_SPOT,
  zone: string | null,
  message: string,
  cloud: string,
): FailedTry {
  const { entry, code } = classifyCloudError(message, cloud);
  return { attempt: attempt(n, o, zone), code, message, decision: entry?.decision ?? "next-zone" };
}

describe("summarizeMessage", () => {
  it("drops Pulumi's wrapping and the AWS SDK preamble", () => {
    expect(summarizeMessage(AWS_ICE, "InsufficientInstanceCapacity")).toBe(
      "We currently do not have sufficient p5.48xlarge capacity in the Availability Zone you requested (us-east-1a).",
    );
    expect(summarizeMessage(GCP_QUOTA, "QUOTA_EXCEEDED")).toBe(
      "Quota 'NVIDIA_A100_GPUS' exceeded.  Limit: 0.0 in region us-central1., quotaExceeded",
    );
    expect(
      summarizeMessage(
        'compute.VirtualMachinesClient#CreateOrUpdate: Failure sending request: StatusCode=409 -- Original Error: Code="SkuNotAvailable" Message="The requested VM size is not available."',
        "SkuNotAvailable",
      ),
    ).toBe("The requested VM size is not available.");
    expect(summarizeMessage("error: 2 errors occurred:\n\t* boom\n\t* bang", null)).toBe("boom");
    expect(summarizeMessage("x".repeat(300), null)).toHaveLength(120);
  });
});

describe("relaxHints", () => {
  it("suggests other regions or backends and spot_policy: auto when only spot capacity was missing", () => {
    const hints = relaxHints([
      failed(1, AWS_SPOT, "use1-az1", AWS_ICE, "aws"),
      failed(2, AWS_SPOT, "use1-az2", AWS_ICE, "aws"),
    ]);
    expect(hints).toEqual([
      "No capacity anywhere tried: allow more regions, backends or GPU types, or add `retry` to wait for capacity.",
      "Only spot was tried: `spot_policy: auto` falls back to on-demand.",
    ]);
  });

  it("asks for a quota raise or fewer GPUs, and does not suggest auto when on-demand was tried", () => {
    const hints = relaxHints([
      failed(1, GCP_OD, "us-central1-a", GCP_POOL, "gcp"),
      failed(2, GCP_OD, null, GCP_QUOTA, "gcp"),
    ]);
    expect(hints).toEqual([
      "Quota exceeded (QUOTA_EXCEEDED): ask the cloud for a quota raise, or request fewer GPUs.",
      "Some offers had no capacity: allowing more regions or backends widens the search.",
    ]);
  });

  it("points at credentials, unknown errors, throttling, and an empty plan", () => {
    const creds = failed(1, GCP_OD, null, "google: could not find default credentials. See https://x", "gcp");
    expect(relaxHints([creds])[0]).toMatch(/credentials/);
    expect(relaxHints([failed(1, GCP_OD, null, "something odd", "gcp")])).toEqual([
      "Some errors are not recognised: see their messages above.",
    ]);
    expect(
      relaxHints([failed(1, GCP_OD, null, "Error 403: Rate Limit Exceeded, rateLimitExceeded", "gcp")]),
    ).toEqual(["The clouds throttled the requests: try again later."]);
    expect(relaxHints([])[0]).toMatch(/No offer was tried/);
  });
});

describe("renderFailureReport", () => {
  it("prints each try with its zone, code and message, then the hints", () => {
    const text = renderFailureReport([
      failed(1, AWS_SPOT, "use1-az1", AWS_ICE, "aws"),
      failed(2, GCP_OD, "us-central1-a", GCP_POOL, "gcp"),
    ]);
    const lines = text.split("\n");
    expect(lines[0]).toBe(" Provisioning failed: 2 attempts failed.");
    expect(lines[2]).toMatch(/^ #\s+BACKEND\s+REGION\s+ZONE\s+INSTANCE\s+SPOT\s+PRICE\s+ERROR\s+MESSAGE$/);
    expect(lines[3]).toMatch(
      /^ 1\s+aws\s+us-east-1\s+use1-az1\s+p5\.48xlarge\s+spot\s+\$40\s+InsufficientInstanceCapacity\s+We currently/,
    );
    expect(lines[4]).toMatch(
      /^ 2\s+gcp\s+us-central1\s+us-central1-a\s+a2-highgpu-1g\s+on-demand\s+\$3\.6731\s+ZONE_RESOURCE_POOL_EXHAUSTED\s+The zone 'projects\/p/,
    );
    expect(lines.at(-1)).toBe(
      " Could relax: No capacity anywhere tried: allow more regions, backends or GPU types, or add `retry` to wait for capacity.",
    );
  });

  it("has a JSON form with the full messages, kinds and hints", () => {
    const json = failureReportJson([failed(1, GCP_OD, null, GCP_QUOTA, "gcp")]);
    expect(json).toEqual({
      tries: [
        {
          n: 1,
          backend: "gcp",
          region: "us-central1",
          zone: null,
          instance_type: "a2-highgpu-1g",
          spot: false,
          price: 3.6731,
          code: "QUOTA_EXCEEDED",
          kind: "quota",
          decision: "next-region",
          message: GCP_QUOTA,
        },
      ],
      relax: ["Quota exceeded (QUOTA_EXCEEDED): ask the cloud for a quota raise, or request fewer GPUs."],
    });
  });
});
