// The error table against cloud-shaped texts as a failed Pulumi update prints them. Table-driven over
// the data: every row must be hit by some sample, so a row added without a sample fails here.
import { describe, expect, it } from "vitest";
import { classifyCloudError, ERROR_TABLE, type ErrorEntry } from "../../../src/planner/error-table.js";

// The wrapping a failed `pulumi up` puts around a provider's diagnostic.
const pulumi = (urn: string, body: string): string => `error: 1 error occurred:\n\t* ${body}\n\n${urn}`;
const ec2 = (code: string, msg: string, status = 400): string =>
  pulumi(
    "aws:ec2:Instance (dstack-run) error: 1 error occurred",
    `creating EC2 Instance: operation error EC2: RunInstances, https response error StatusCode: ${status}, RequestID: 0c3f1b2a-7d4e-4c1e-9a55-3f2b8d6e0a11, api error ${code}: ${msg}`,
  );
const azure = (code: string, msg: string, status = 409): string =>
  pulumi(
    "azure-native:compute:VirtualMachine (dstack-run)",
    `compute.VirtualMachinesClient#CreateOrUpdate: Failure sending request: StatusCode=${status} -- Original Error: Code="${code}" Message="${msg}"`,
  );

interface Sample {
  cloud: "aws" | "gcp" | "azure";
  text: string;
  code: string;
  decision: ErrorEntry["decision"];
}

const SAMPLES: Sample[] = [
  // AWS capacity
  {
    cloud: "aws",
    text: `error: 1 error occurred:\n\t* creating EC2 Instance: operation error EC2: RunInstances, https response error StatusCode: 500, RequestID: 0c3f..., api error InsufficientInstanceCapacity: We currently do not have sufficient p5.48xlarge capacity in the Availability Zone you requested (us-east-1a). Our system will be working on provisioning additional capacity. You can currently get p5.48xlarge capacity by not specifying an Availability Zone in your request or choosing us-east-1b, us-east-1c.`,
    code: "InsufficientInstanceCapacity",
    decision: "next-zone",
  },
  {
    cloud: "aws",
    text: ec2(
      "InsufficientHostCapacity",
      "There is not enough capacity to fulfill your Dedicated Host request.",
      500,
    ),
    code: "InsufficientHostCapacity",
    decision: "next-zone",
  },
  {
    cloud: "aws",
    text: ec2("InsufficientReservedInstanceCapacity", "Insufficient capacity.", 500),
    code: "InsufficientReservedInstanceCapacity",
    decision: "next-zone",
  },
  {
    cloud: "aws",
    text: ec2(
      "Unsupported",
      "Your requested instance type (p5.48xlarge) is not supported in your requested Availability Zone (us-east-1e). Please retry your request by not specifying an Availability Zone or choosing us-east-1a, us-east-1b, us-east-1c.",
    ),
    code: "Unsupported",
    decision: "next-zone",
  },
  {
    cloud: "aws",
    text: ec2(
      "SpotMaxPriceTooLow",
      "Your Spot request price of 9.5 is lower than the minimum required Spot request fulfillment price of 12.1.",
    ),
    code: "SpotMaxPriceTooLow",
    decision: "next-zone",
  },
  {
    cloud: "aws",
    text: ec2(
      "UnfulfillableCapacity",
      "Unable to fulfill capacity due to your request configuration. Please adjust your request and try again.",
    ),
    code: "UnfulfillableCapacity",
    decision: "next-zone",
  },
  {
    cloud: "aws",
    text: ec2("InsufficientCapacity", "There is not enough capacity to fulfill your request.", 500),
    code: "InsufficientCapacity",
    decision: "next-zone",
  },
  // AWS quota
  {
    cloud: "aws",
    text: ec2("MaxSpotInstanceCountExceeded", "Max spot instance count exceeded"),
    code: "MaxSpotInstanceCountExceeded",
    decision: "next-region",
  },
  {
    cloud: "aws",
    text: ec2(
      "InstanceLimitExceeded",
      "Your quota allows for 0 more running instance(s). You requested at least 1",
    ),
    code: "InstanceLimitExceeded",
    decision: "next-region",
  },
  {
    cloud: "aws",
    text: ec2(
      "VcpuLimitExceeded",
      "You have requested more vCPU capacity than your current vCPU limit of 0 allows for the instance bucket that the specified instance type belongs to. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.",
    ),
    code: "VcpuLimitExceeded",
    decision: "next-region",
  },
  // AWS credentials, parameters, throttling
  {
    cloud: "aws",
    text: ec2("AuthFailure", "AWS was not able to validate the provided access credentials", 401),
    code: "AuthFailure",
    decision: "stop",
  },
  {
    cloud: "aws",
    text: ec2(
      "UnauthorizedOperation",
      "You are not authorized to perform this operation. User: arn:aws:iam::123456789012:user/dstack is not authorized to perform: ec2:RunInstances. Encoded authorization failure message: AbC",
      403,
    ),
    code: "UnauthorizedOperation",
    decision: "stop",
  },
  {
    cloud: "aws",
    text: pulumi(
      "pulumi:providers:aws (default)",
      "retrieving caller identity from STS: operation error STS: GetCallerIdentity, https response error StatusCode: 403, RequestID: 9a1e, api error InvalidClientTokenId: The security token included in the request is invalid.",
    ),
    code: "InvalidClientTokenId",
    decision: "stop",
  },
  {
    cloud: "aws",
    text: pulumi(
      "pulumi:providers:aws (default)",
      "NoCredentialProviders: no valid providers in chain. Deprecated.\n\tFor verbose messaging see aws.Config.CredentialsChainVerboseErrors",
    ),
    code: "NoCredentialProviders",
    decision: "stop",
  },
  {
    cloud: "aws",
    text: pulumi(
      "pulumi:providers:aws (default)",
      "configuring Terraform AWS Provider: no valid credential sources for Terraform AWS Provider found.",
    ),
    code: "NoCredentialProviders",
    decision: "stop",
  },
  {
    cloud: "aws",
    text: ec2(
      "InvalidParameterValue",
      "Value (dstack-x) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name",
    ),
    code: "InvalidParameterValue",
    decision: "stop",
  },
  {
    cloud: "aws",
    text: ec2("InvalidAMIID.NotFound", "The image id '[ami-0abcdef1234567890]' does not exist"),
    code: "InvalidAMIID.NotFound",
    decision: "stop",
  },
  {
    cloud: "aws",
    text: ec2("RequestLimitExceeded", "Request limit exceeded.", 503),
    code: "RequestLimitExceeded",
    decision: "retry",
  },
  // GCP
  {
    cloud: "gcp",
    text: pulumi(
      "gcp:compute/instance:Instance (dstack-run)",
      "Error creating instance: googleapi: Error 503: The zone 'projects/p/zones/us-central1-a' does not have enough resources available to fulfill the request.  Try a different zone, or try again later., ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS",
    ),
    code: "ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS",
    decision: "next-zone",
  },
  {
    cloud: "gcp",
    text: pulumi(
      "gcp:compute/instance:Instance (dstack-run)",
      "Error creating instance: googleapi: Error 503: The zone 'projects/p/zones/us-central1-a' does not have enough resources available to fulfill the request.  Try a different zone, or try again later., ZONE_RESOURCE_POOL_EXHAUSTED",
    ),
    code: "ZONE_RESOURCE_POOL_EXHAUSTED",
    decision: "next-zone",
  },
  {
    cloud: "gcp",
    text: pulumi(
      "gcp:compute/instance:Instance (dstack-run)",
      "Error waiting for instance to create: The zone 'projects/p/zones/europe-west4-a' does not have enough resources available to fulfill the request.  '(resource type:compute)'.",
    ),
    code: "does not have enough resources available",
    decision: "next-zone",
  },
  {
    cloud: "gcp",
    text: pulumi(
      "gcp:compute/instance:Instance (dstack-run)",
      "Error creating instance: googleapi: Error 400: Accelerator type nvidia-h100-80gb is not supported for Spot VMs in zone us-central1-f., UNSUPPORTED_OPERATION",
    ),
    code: "UNSUPPORTED_OPERATION",
    decision: "next-zone",
  },
  // GCP TPU VMs, as the bridged provider prints a failed CreateNode operation or API call
  {
    cloud: "gcp",
    text: pulumi(
      "gcp:tpu/v2Vm:V2Vm (dstack-run)",
      'Error waiting to create V2Vm: Error waiting for Creating V2Vm: Error code 8, message: There is no more capacity in the zone "us-central1-b"; you can try in another zone where Cloud TPU Nodes are offered (see https://cloud.google.com/tpu/docs/regions)',
    ),
    code: "no more capacity in the zone",
    decision: "next-zone",
  },
  {
    cloud: "gcp",
    text: pulumi(
      "gcp:tpu/v2Vm:V2Vm (dstack-run)",
      "Error waiting to create V2Vm: Error waiting for Creating V2Vm: Error code 8, message: Insufficient reserved capacity. Contact customer support to increase your reservation. [EID: 0x7adf6d58c08b0aa4]",
    ),
    code: "Insufficient reserved capacity",
    decision: "next-zone",
  },
  {
    cloud: "gcp",
    text: pulumi(
      "gcp:tpu/v2Vm:V2Vm (dstack-run)",
      "Error creating V2Vm: googleapi: Error 429: Quota limit 'TPUV4sPerProjectPerZoneForTPUAPI' has been exceeded. Limit: 32 in zone us-central2-b., rateLimitExceeded",
    ),
    code: "TPUV4sPerProjectPerZoneForTPUAPI",
    decision: "next-zone",
  },
  {
    cloud: "gcp",
    text: pulumi(
      "gcp:tpu/v2Vm:V2Vm (dstack-run)",
      "Error creating V2Vm: googleapi: Error 429: Quota limit 'TPUV6EPreemptiblePerProjectPerRegionForTPUAPI' has been exceeded. Limit: 0 in region us-east5., rateLimitExceeded",
    ),
    code: "TPUV6EPreemptiblePerProjectPerRegionForTPUAPI",
    decision: "next-region",
  },
  {
    cloud: "gcp",
    text: pulumi(
      "gcp:tpu/v2Vm:V2Vm (dstack-run)",
      "Error creating V2Vm: googleapi: Error 429: Maximum number of CreateNode requests per minute exceeded for project p., rateLimitExceeded",
    ),
    code: "CreateNode rate limit",
    decision: "retry",
  },
  {
    cloud: "gcp",
    text: pulumi(
      "gcp:compute/instance:Instance (dstack-run)",
      "Error creating instance: googleapi: Error 403: Quota 'NVIDIA_A100_GPUS' exceeded.  Limit: 0.0 in region us-central1., quotaExceeded",
    ),
    code: "QUOTA_EXCEEDED",
    decision: "next-region",
  },
  {
    cloud: "gcp",
    text: pulumi(
      "gcp:compute/instance:Instance (dstack-run)",
      "Error waiting for instance to create: QUOTA_EXCEEDED: Quota 'PREEMPTIBLE_NVIDIA_H100_GPUS' exceeded.  Limit: 8.0 in region europe-west4.",
    ),
    code: "QUOTA_EXCEEDED",
    decision: "next-region",
  },
  {
    cloud: "gcp",
    text: pulumi(
      "gcp:compute/instance:Instance (dstack-run)",
      "Error creating instance: googleapi: Error 403: Quota 'GPUS_ALL_REGIONS' exceeded.  Limit: 0.0 globally., quotaExceeded",
    ),
    code: "QUOTA_EXCEEDED",
    decision: "next-backend",
  },
  {
    cloud: "gcp",
    text: pulumi(
      "gcp:compute/instance:Instance (dstack-run)",
      "Error creating instance: googleapi: Error 403: Required 'compute.instances.create' permission for 'projects/p/zones/us-central1-a/instances/dstack-run', forbidden",
    ),
    code: "PERMISSION_DENIED",
    decision: "stop",
  },
  {
    cloud: "gcp",
    text: pulumi(
      "gcp:compute/instance:Instance (dstack-run)",
      "rpc error: code = PermissionDenied desc = Permission 'compute.instances.create' denied, PERMISSION_DENIED",
    ),
    code: "PERMISSION_DENIED",
    decision: "stop",
  },
  {
    cloud: "gcp",
    text: pulumi(
      "pulumi:providers:gcp (default)",
      "google: could not find default credentials. See https://cloud.google.com/docs/authentication/external/set-up-adc for more information",
    ),
    code: "could not find default credentials",
    decision: "stop",
  },
  {
    cloud: "gcp",
    text: pulumi(
      "gcp:compute/instance:Instance (dstack-run)",
      "Error creating instance: googleapi: Error 400: Invalid value for field 'resource.machineType': 'zones/us-central1-a/machineTypes/a3-highgpu-9g'. Machine type with name 'a3-highgpu-9g' does not exist in zone 'us-central1-a'., invalid",
    ),
    code: "Invalid value for field",
    decision: "stop",
  },
  {
    cloud: "gcp",
    text: pulumi(
      "gcp:compute/instance:Instance (dstack-run)",
      "Error creating instance: googleapi: Error 403: Rate Limit Exceeded, rateLimitExceeded",
    ),
    code: "rateLimitExceeded",
    decision: "retry",
  },
  // Azure
  {
    cloud: "azure",
    text: azure(
      "SkuNotAvailable",
      "The requested VM size for resource 'Following SKUs have failed for Capacity Restrictions: Standard_ND96isr_H100_v5' is currently not available in location 'eastus'. Please try another size or deploy to a different location or different zone. See https://aka.ms/azureskunotavailable for details.",
    ),
    code: "SkuNotAvailable",
    decision: "next-region",
  },
  {
    cloud: "azure",
    text: azure(
      "AllocationFailed",
      "Allocation failed. We do not have sufficient capacity for the requested VM size in this region. Read more about improving likelihood of allocation success at http://aka.ms/allocation-guidance",
      200,
    ),
    code: "AllocationFailed",
    decision: "next-region",
  },
  {
    cloud: "azure",
    text: azure(
      "ZonalAllocationFailed",
      "Allocation failed. We do not have sufficient capacity for the requested VM size in this zone. Read more about improving likelihood of allocation success at http://aka.ms/allocation-guidance",
      200,
    ),
    code: "ZonalAllocationFailed",
    decision: "next-zone",
  },
  {
    cloud: "azure",
    text: azure(
      "OverconstrainedAllocationRequest",
      "Allocation failed. VM(s) with the following constraints cannot be allocated, because the condition is too restrictive. Please remove some constraints and try again. Constraints applied are:\n  - Availability Zone\n  - Networking Constraints (such as Accelerated Networking or IPv6)\n  - VM Size",
      200,
    ),
    code: "OverconstrainedAllocationRequest",
    decision: "next-zone",
  },
  {
    cloud: "azure",
    text: azure(
      "OperationNotAllowed",
      "Operation could not be completed as it results in exceeding approved standardNDSH100v5Family Cores quota. Additional details - Deployment Model: Resource Manager, Location: eastus, Current Limit: 0, Current Usage: 0, Additional Required: 96, (Minimum) New Limit Required: 96.",
    ),
    code: "OperationNotAllowed",
    decision: "next-region",
  },
  {
    cloud: "azure",
    text: pulumi(
      "pulumi:providers:azure-native (default)",
      "obtain subscription(00000000-0000-0000-0000-000000000000) from Azure CLI: AADSTS700082: The refresh token has expired due to inactivity.",
    ),
    code: "AADSTS700082",
    decision: "stop",
  },
  {
    cloud: "azure",
    text: azure(
      "AuthorizationFailed",
      "The client 'x' with object id 'y' does not have authorization to perform action 'Microsoft.Compute/virtualMachines/write' over scope '/subscriptions/s/resourceGroups/dstack' or the scope is invalid.",
      403,
    ),
    code: "AuthorizationFailed",
    decision: "stop",
  },
  {
    cloud: "azure",
    text: azure("InvalidParameter", "The value of parameter imageReference.sku is invalid.", 400),
    code: "InvalidParameter",
    decision: "stop",
  },
  {
    cloud: "azure",
    text: azure(
      "TooManyRequests",
      "The request is being throttled as the limit has been reached for operation type - Write_30Min.",
      429,
    ),
    code: "TooManyRequests",
    decision: "retry",
  },
];

describe("classifyCloudError", () => {
  for (const s of SAMPLES) {
    it(`${s.cloud} ${s.code} → ${s.decision}`, () => {
      const got = classifyCloudError(s.text, s.cloud);
      expect(got.code).toBe(s.code);
      expect(got.entry?.decision).toBe(s.decision);
      expect(got.entry?.cloud).toBe(s.cloud);
      // Unscoped (the local backend imitating a cloud), the text still reads the same way.
      expect(classifyCloudError(s.text)).toEqual(got);
    });
  }

  it("hits every row of the table with at least one sample", () => {
    const hit = new Set(SAMPLES.map((s) => classifyCloudError(s.text, s.cloud).entry));
    const missed = ERROR_TABLE.filter((e) => !hit.has(e)).map((e) => `${e.cloud} ${e.code} ${e.match}`);
    expect(missed).toEqual([]);
  });

  it("prefers the code to the message, and the specific code to its prefix", () => {
    const withDetails = SAMPLES.find((s) => s.code === "ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS")!;
    expect(withDetails.text).toContain("does not have enough resources available");
    expect(classifyCloudError(withDetails.text, "gcp").code).toBe(
      "ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS",
    );
    expect(classifyCloudError("api error InvalidParameterValue: x", "azure").entry).toBeNull();
  });

  it("scopes by cloud: another cloud's code is not classified", () => {
    const aws = SAMPLES[0]!;
    expect(classifyCloudError(aws.text, "gcp")).toEqual({ entry: null, code: null });
    expect(classifyCloudError(aws.text, "local").code).toBe("InsufficientInstanceCapacity");
  });

  it("matches nothing in unrelated or look-alike texts", () => {
    const texts = [
      "",
      "error: update canceled",
      ec2("InvalidKeyPair.NotFound", "The key pair 'dstack' does not exist"),
      // OperationNotAllowed that is not about quota.
      azure(
        "OperationNotAllowed",
        "Operation 'start' is not allowed on VM 'dstack-run' since the VM is deallocating.",
      ),
      // Codes in a different case are other codes, or prose.
      "insufficientinstancecapacity zone_resource_pool_exhausted",
      "The instance type is unsupported here",
      "googleapi: Error 403: Quota exceeded for quota metric 'Queries', userRateLimitExceeded",
    ];
    for (const text of texts) expect(classifyCloudError(text), text).toEqual({ entry: null, code: null });
  });
});
