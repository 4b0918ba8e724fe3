// The fault texts, exactly, and how the planner's error table reads them: every text a fault rule can
// produce is classified as the kind of error it stands for (TPU texts aside: see SPEC.md).
import { describe, expect, it } from "vitest";
import { classifyCloudError } from "../../src/planner/error-table.js";
import { awsFaultCodes, awsFaultMessage } from "./aws/errors.js";
import { azureFaultCodes, azureFaultMessage } from "./azure/errors.js";
import { FAULT_ERRORS, type FaultError } from "./core/faults.js";
import type { FaultSubject } from "./core/kind.js";
import { gcpFaultCodes, gcpFaultMessage } from "./gcp/errors.js";

const RID = "0f1e2d3c-4b5a-4978-a695-b4c3d2e1f0a9";

const aws: FaultSubject = {
  cloud: "aws",
  zones: ["us-east-1a", "use1-az1"],
  zone: "us-east-1a",
  region: "us-east-1",
  instanceType: "p4d.24xlarge",
  name: "",
  path: "",
  image: "ami-0123456789abcdef0",
  otherZones: ["us-east-1b", "us-east-1c"],
};
const gcp: FaultSubject = {
  cloud: "gcp",
  zones: ["us-central1-a"],
  zone: "us-central1-a",
  region: "us-central1",
  instanceType: "a2-highgpu-1g",
  name: "vm-1",
  path: "projects/proj-1/zones/us-central1-a/instances/vm-1",
  project: "proj-1",
  quotaMetric: "NVIDIA_A100_GPUS",
};
const azure: FaultSubject = {
  cloud: "azure",
  zones: ["1", "eastus-1"],
  zone: "1",
  region: "eastus",
  instanceType: "Standard_NC24ads_A100_v4",
  name: "vm",
  path: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm",
  zonal: true,
};

describe("fault texts", () => {
  it("AWS: the bridged provider's RunInstances error", () => {
    expect(awsFaultMessage(aws, "capacity", undefined, RID)).toBe(
      `creating EC2 Instance: operation error EC2: RunInstances, https response error StatusCode: 500, RequestID: ${RID}, api error InsufficientInstanceCapacity: We currently do not have sufficient p4d.24xlarge capacity in the Availability Zone you requested (us-east-1a). Our system will be working on provisioning additional capacity. You can currently get p4d.24xlarge capacity by not specifying an Availability Zone in your request or choosing us-east-1b, us-east-1c.`,
    );
    expect(awsFaultMessage(aws, "quota", undefined, RID)).toContain(
      "StatusCode: 400, RequestID: 0f1e2d3c-4b5a-4978-a695-b4c3d2e1f0a9, api error VcpuLimitExceeded: You have requested more vCPU capacity",
    );
    expect(awsFaultMessage(aws, "credentials", undefined, RID)).toContain(
      "StatusCode: 401, RequestID: 0f1e2d3c-4b5a-4978-a695-b4c3d2e1f0a9, api error AuthFailure: AWS was not able to validate the provided access credentials",
    );
    expect(awsFaultMessage(aws, "invalid", "InvalidAMIID.NotFound", RID)).toContain(
      "api error InvalidAMIID.NotFound: The image id '[ami-0123456789abcdef0]' does not exist",
    );
  });

  it("GCP: the operation's message, or its code with it", () => {
    expect(gcpFaultMessage(gcp, "capacity", undefined)).toBe(
      "Error waiting for instance to create: The zone 'projects/proj-1/zones/us-central1-a' does not have enough resources available to fulfill the request.  Try a different zone, or try again later.",
    );
    expect(gcpFaultMessage(gcp, "capacity", "ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS")).toBe(
      "Error waiting for instance to create: ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS: The zone 'projects/proj-1/zones/us-central1-a' does not have enough resources available to fulfill the request.  '(resource type:compute)'.",
    );
    expect(gcpFaultMessage(gcp, "quota", undefined)).toBe(
      "Error creating instance: googleapi: Error 403: Quota 'NVIDIA_A100_GPUS' exceeded.  Limit: 0.0 in region us-central1., quotaExceeded",
    );
    expect(gcpFaultMessage(gcp, "credentials", undefined)).toBe(
      "Error creating instance: googleapi: Error 403: Required 'compute.instances.create' permission for 'projects/proj-1/zones/us-central1-a/instances/vm-1', forbidden",
    );
    expect(
      gcpFaultMessage({ ...gcp, tpu: true, zone: "us-central2-b", path: "p" }, "capacity", undefined),
    ).toMatch(
      /^Error waiting to create V2Vm: Error waiting for Creating V2Vm: Error code 8, message: There is no more capacity in the zone "us-central2-b"; /,
    );
  });

  it("Azure: ARM's Code/Message, zonal or regional allocation by the VM's zones", () => {
    expect(azureFaultMessage(azure, "capacity", undefined)).toBe(
      'Code="ZonalAllocationFailed" Message="Allocation failed. We do not have sufficient capacity for the requested VM size in this zone. Read more about improving likelihood of allocation success at http://aka.ms/allocation-guidance"',
    );
    expect(azureFaultMessage({ ...azure, zonal: false }, "capacity", undefined)).toContain(
      'Code="AllocationFailed" Message="Allocation failed. We do not have sufficient capacity for the requested VM size in this region.',
    );
    expect(azureFaultMessage(azure, "capacity", "SkuNotAvailable")).toContain(
      "Following SKUs have failed for Capacity Restrictions: Standard_NC24ads_A100_v4' is currently not available in location 'eastus'",
    );
    expect(azureFaultMessage(azure, "invalid", undefined)).toBe(
      'Code="InvalidParameter" Message="The value of parameter hardwareProfile.vmSize is invalid." Target="hardwareProfile.vmSize"',
    );
  });
});

describe("the planner's error table reads every text as its kind", () => {
  const cases: [
    FaultSubject,
    (e: FaultError) => readonly string[],
    (s: FaultSubject, e: FaultError, c: string | undefined) => string,
  ][] = [
    [aws, awsFaultCodes, (s, e, c) => awsFaultMessage(s, e, c, RID)],
    [gcp, (e) => ["", ...gcpFaultCodes(e)], (s, e, c) => gcpFaultMessage(s, e, c === "" ? undefined : c)],
    [azure, azureFaultCodes, azureFaultMessage],
    [{ ...azure, zonal: false }, () => [""], (s, e) => azureFaultMessage(s, e, undefined)],
  ];
  for (const [subject, codes, message] of cases)
    for (const error of FAULT_ERRORS)
      for (const code of codes(error))
        it(`${subject.cloud} ${error} ${code || "(default)"}`, () => {
          expect(classifyCloudError(message(subject, error, code), subject.cloud).entry?.kind).toBe(error);
        });
});
