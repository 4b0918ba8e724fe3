// AWS error texts as the Terraform-bridged pulumi-aws prints them: the resource operation, then the
// AWS SDK v2 error chain with the HTTP status, request id, API error code and AWS's message.
import type { FaultError } from "../core/faults.js";
import type { FaultSubject } from "../core/kind.js";

export interface AwsCall {
  /** What the provider was doing: `creating EC2 Instance`, `deleting EBS Volume (vol-...)`. */
  doing: string;
  /** The API action: `RunInstances`, `CreateRole`. */
  action: string;
  /** The AWS service as the SDK names it in the error chain; EC2 when absent. */
  service?: "EC2" | "IAM" | "ECR";
}

export function awsApiError(
  call: AwsCall,
  status: number,
  code: string,
  message: string,
  requestId: string,
): string {
  return `${call.doing}: operation error ${call.service ?? "EC2"}: ${call.action}, https response error StatusCode: ${status}, RequestID: ${requestId}, api error ${code}: ${message}`;
}

const RUN: AwsCall = { doing: "creating EC2 Instance", action: "RunInstances" };

type Text = (s: FaultSubject) => { status: number; message: string };

const TEXTS: Record<FaultError, Record<string, Text>> = {
  capacity: {
    InsufficientInstanceCapacity: (s) => ({
      status: 500,
      message: `We currently do not have sufficient ${s.instanceType} capacity in the Availability Zone you requested (${s.zone}). Our system will be working on provisioning additional capacity. You can currently get ${s.instanceType} capacity by not specifying an Availability Zone in your request or choosing ${(s.otherZones ?? []).join(", ")}.`,
    }),
    Unsupported: (s) => ({
      status: 400,
      message: `Your requested instance type (${s.instanceType}) is not supported in your requested Availability Zone (${s.zone}). Please retry your request by not specifying an Availability Zone or choosing ${(s.otherZones ?? []).join(", ")}.`,
    }),
  },
  quota: {
    VcpuLimitExceeded: () => ({
      status: 400,
      message:
        "You have requested more vCPU capacity than your current vCPU limit of 0 allows for the instance bucket that the specified instance type belongs to. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.",
    }),
    InstanceLimitExceeded: () => ({
      status: 400,
      message: "Your quota allows for 0 more running instance(s). You requested at least 1.",
    }),
    MaxSpotInstanceCountExceeded: () => ({ status: 400, message: "Max spot instance count exceeded" }),
  },
  credentials: {
    AuthFailure: () => ({
      status: 401,
      message: "AWS was not able to validate the provided access credentials",
    }),
    UnauthorizedOperation: (s) => ({
      status: 403,
      message: `You are not authorized to perform this operation. User: arn:aws:iam::123456789012:user/dstack is not authorized to perform: ec2:RunInstances on resource: arn:aws:ec2:${s.region}:123456789012:instance/* because no identity-based policy allows the ec2:RunInstances action. Encoded authorization failure message: fake-encoded-message`,
    }),
  },
  invalid: {
    InvalidParameterValue: (s) => ({
      status: 400,
      message: `Invalid value '${s.instanceType}' for InstanceType.`,
    }),
    "InvalidAMIID.NotFound": (s) => ({
      status: 400,
      message: `The image id '[${s.image ?? ""}]' does not exist`,
    }),
  },
};

export function awsFaultCodes(error: FaultError): readonly string[] {
  return Object.keys(TEXTS[error]);
}

export function awsFaultMessage(
  s: FaultSubject,
  error: FaultError,
  code: string | undefined,
  requestId: string,
): string {
  const name = code ?? awsFaultCodes(error)[0] ?? "";
  const text = TEXTS[error][name];
  if (text === undefined) throw new Error(`fake-cloud (aws): no ${error} text "${name}"`);
  const { status, message } = text(s);
  return awsApiError(RUN, status, name, message, requestId);
}
