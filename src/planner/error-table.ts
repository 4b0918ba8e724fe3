// The declared error table: how a failed create, by what the cloud's provider said (the failed
// resource's message, as the engine's diagnostics give it), decides what provisioning does next. The
// only place that reads a cloud's message; classify-failure.ts applies it to a failure's messages.
// Data first, so that the decisions can be read (and reviewed) in one place and every row is tested
// against a cloud-shaped sample.
//
// Codes are matched case-sensitively and on word boundaries: AWS and Azure codes are CamelCase, GCP's
// are UPPER_SNAKE (reasons in googleapi JSON are lowerCamel), and several codes are prefixes of
// others (`ZONE_RESOURCE_POOL_EXHAUSTED` of `..._WITH_DETAILS`, `InvalidParameter` of
// `InvalidParameterValue`). Where a cloud prints only a message (GCP operation errors through the
// Terraform bridge), the matched phrase stands in for the code.

export type ErrorCloud = "aws" | "gcp" | "azure" | "any";
export type ErrorKind = "capacity" | "quota" | "credentials" | "invalid" | "transient";
/**
 * next-zone: the next attempt (typically the same offer in its next zone).
 * next-region: skip the remaining zones of this offer's region.
 * next-backend: skip every remaining attempt on this backend.
 * stop: no other attempt can succeed; fail now and say why.
 * retry: the same attempt again after a short wait.
 */
export type ErrorDecision = "next-zone" | "next-region" | "next-backend" | "stop" | "retry";

export interface ErrorEntry {
  cloud: ErrorCloud;
  code: string;
  /** Case-sensitive. A named group `code` overrides `code` in what classifyCloudError returns. */
  match: RegExp;
  kind: ErrorKind;
  decision: ErrorDecision;
}

// Order matters: the first match wins, so specific rows come before general ones and message-only
// rows come last (a text that carries a code is classified by its code).
export const ERROR_TABLE: readonly ErrorEntry[] = [
  // --- AWS capacity: all zonal. AWS itself suggests other AZs of the same region in the message.
  {
    cloud: "aws",
    code: "InsufficientInstanceCapacity",
    match: /\bInsufficientInstanceCapacity\b/,
    kind: "capacity",
    decision: "next-zone",
  },
  // Dedicated hosts are placed per AZ.
  {
    cloud: "aws",
    code: "InsufficientHostCapacity",
    match: /\bInsufficientHostCapacity\b/,
    kind: "capacity",
    decision: "next-zone",
  },
  // Zonal reservations are bound to their AZ; another AZ may have on-demand capacity.
  {
    cloud: "aws",
    code: "InsufficientReservedInstanceCapacity",
    match: /\bInsufficientReservedInstanceCapacity\b/,
    kind: "capacity",
    decision: "next-zone",
  },
  // "The requested configuration is currently not supported" / "instance type not supported in
  // your requested Availability Zone": the type is missing from this AZ, other AZs may have it.
  {
    cloud: "aws",
    code: "Unsupported",
    match: /\bUnsupported: /,
    kind: "capacity",
    decision: "next-zone",
  },
  // Spot prices differ per AZ, so a cheaper AZ may be under the max price.
  {
    cloud: "aws",
    code: "SpotMaxPriceTooLow",
    match: /\bSpotMaxPriceTooLow\b/,
    kind: "capacity",
    decision: "next-zone",
  },
  // Fleet/spot requests that cannot be filled where they were placed.
  {
    cloud: "aws",
    code: "UnfulfillableCapacity",
    match: /\bUnfulfillableCapacity\b/,
    kind: "capacity",
    decision: "next-zone",
  },
  {
    cloud: "aws",
    code: "InsufficientCapacity",
    match: /\bInsufficientCapacity\b/,
    kind: "capacity",
    decision: "next-zone",
  },
  // --- AWS quota: EC2 limits are per account *per region*, so another region has its own.
  {
    cloud: "aws",
    code: "MaxSpotInstanceCountExceeded",
    match: /\bMaxSpotInstanceCountExceeded\b/,
    kind: "quota",
    decision: "next-region",
  },
  {
    cloud: "aws",
    code: "InstanceLimitExceeded",
    match: /\bInstanceLimitExceeded\b/,
    kind: "quota",
    decision: "next-region",
  },
  {
    cloud: "aws",
    code: "VcpuLimitExceeded",
    match: /\bVcpuLimitExceeded\b/,
    kind: "quota",
    decision: "next-region",
  },
  // --- AWS credentials and parameters: the same for every region and zone of the backend. Stop
  // rather than skip the backend: a broken config should be fixed, not silently routed around.
  { cloud: "aws", code: "AuthFailure", match: /\bAuthFailure\b/, kind: "credentials", decision: "stop" },
  {
    cloud: "aws",
    code: "UnauthorizedOperation",
    match: /\bUnauthorizedOperation\b/,
    kind: "credentials",
    decision: "stop",
  },
  {
    cloud: "aws",
    code: "InvalidClientTokenId",
    match: /\bInvalidClientTokenId\b/,
    kind: "credentials",
    decision: "stop",
  },
  // SDK v1 code, and the Terraform AWS provider's own wording when it finds no credentials.
  {
    cloud: "aws",
    code: "NoCredentialProviders",
    match: /\bNoCredentialProviders\b|no valid credential sources/,
    kind: "credentials",
    decision: "stop",
  },
  {
    cloud: "aws",
    code: "InvalidParameterValue",
    match: /\bInvalidParameterValue\b/,
    kind: "invalid",
    decision: "stop",
  },
  {
    cloud: "aws",
    code: "InvalidAMIID.NotFound",
    match: /\bInvalidAMIID\.NotFound\b/,
    kind: "invalid",
    decision: "stop",
  },
  // Throttling: the provider already retried; wait and try the same attempt again.
  {
    cloud: "aws",
    code: "RequestLimitExceeded",
    match: /\bRequestLimitExceeded\b/,
    kind: "transient",
    decision: "retry",
  },

  // --- GCP capacity: "The zone ... does not have enough resources available": zonal.
  {
    cloud: "gcp",
    code: "ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS",
    match: /\bZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS\b/,
    kind: "capacity",
    decision: "next-zone",
  },
  {
    cloud: "gcp",
    code: "ZONE_RESOURCE_POOL_EXHAUSTED",
    match: /\bZONE_RESOURCE_POOL_EXHAUSTED\b/,
    kind: "capacity",
    decision: "next-zone",
  },
  // The machine or accelerator type (or spot for it) is not offered in this zone.
  {
    cloud: "gcp",
    code: "UNSUPPORTED_OPERATION",
    match: /\bUNSUPPORTED_OPERATION\b/,
    kind: "capacity",
    decision: "next-zone",
  },
  // --- GCP TPU VMs (tpu.googleapis.com): operation errors carry gRPC code 8 and a message only.
  // TPU capacity is per zone; Google's own text says to try another zone.
  {
    cloud: "gcp",
    code: "no more capacity in the zone",
    match: /There is no more capacity in the zone/,
    kind: "capacity",
    decision: "next-zone",
  },
  // Printed even without a reservation when the zone's reservable pool is empty (seen for v5p).
  {
    cloud: "gcp",
    code: "Insufficient reserved capacity",
    match: /Insufficient reserved capacity/,
    kind: "capacity",
    decision: "next-zone",
  },
  // TPU quotas are named per zone or per region (`TPUV4sPerProjectPerZoneForTPUAPI`,
  // `TPUV6EPreemptiblePerProjectPerRegionForTPUAPI`); the 429 they come with says
  // rateLimitExceeded, so these rows must precede the throttling row. The quota's name is the code.
  {
    cloud: "gcp",
    code: "TPU zonal quota",
    match: /Quota limit '(?<code>\w*PerZone\w*ForTPUAPI)' has been exceeded/,
    kind: "quota",
    decision: "next-zone",
  },
  {
    cloud: "gcp",
    code: "TPU regional quota",
    match: /Quota limit '(?<code>\w*ForTPUAPI)' has been exceeded/,
    kind: "quota",
    decision: "next-region",
  },
  // The project-wide CreateNode rate: the same attempt succeeds a little later.
  {
    cloud: "gcp",
    code: "CreateNode rate limit",
    match: /Maximum number of CreateNode requests per minute/,
    kind: "transient",
    decision: "retry",
  },
  // --- GCP quota. GPUS_ALL_REGIONS is project-wide: no other GCP region helps, other backends may.
  {
    cloud: "gcp",
    code: "QUOTA_EXCEEDED",
    match: /Quota '(?:GPUS_ALL_REGIONS|GPUS_PER_GPU_FAMILY_ALL_REGIONS)' exceeded/,
    kind: "quota",
    decision: "next-backend",
  },
  // Other GPU and CPU quotas (NVIDIA_A100_GPUS, PREEMPTIBLE_*, CPUS) are regional. The googleapi
  // JSON reason is `quotaExceeded`; operation errors say `QUOTA_EXCEEDED`.
  {
    cloud: "gcp",
    code: "QUOTA_EXCEEDED",
    match: /\bQUOTA_EXCEEDED\b|\bquotaExceeded\b/,
    kind: "quota",
    decision: "next-region",
  },
  {
    cloud: "gcp",
    code: "PERMISSION_DENIED",
    match: /\bPERMISSION_DENIED\b|Error 403: Required '[^']+' permission|code = PermissionDenied/,
    kind: "credentials",
    decision: "stop",
  },
  {
    cloud: "gcp",
    code: "rateLimitExceeded",
    match: /\brateLimitExceeded\b|\bRATE_LIMIT_EXCEEDED\b/,
    kind: "transient",
    decision: "retry",
  },

  // --- Azure. Capacity: a SKU restriction is reported per location, so other zones of the region
  // would fail the same way.
  {
    cloud: "azure",
    code: "SkuNotAvailable",
    match: /\bSkuNotAvailable\b/,
    kind: "capacity",
    decision: "next-region",
  },
  {
    cloud: "azure",
    code: "ZonalAllocationFailed",
    match: /\bZonalAllocationFailed\b/,
    kind: "capacity",
    decision: "next-zone",
  },
  // Azure's message says "in this region"; a zone-pinned VM fails with ZonalAllocationFailed instead.
  {
    cloud: "azure",
    code: "AllocationFailed",
    match: /\bAllocationFailed\b/,
    kind: "capacity",
    decision: "next-region",
  },
  // The combination (size + zone + accelerated networking, ...) cannot be placed here; it is the
  // zone constraint we vary, so try the next one.
  {
    cloud: "azure",
    code: "OverconstrainedAllocationRequest",
    match: /\bOverconstrainedAllocationRequest\b/,
    kind: "capacity",
    decision: "next-zone",
  },
  // Only the quota form of OperationNotAllowed: family and regional core quotas are per region.
  // Other OperationNotAllowed texts (e.g. a VM being deallocated) stay unclassified.
  {
    cloud: "azure",
    code: "OperationNotAllowed",
    match: /\bOperationNotAllowed\b[\s\S]*?\b[Qq]uota\b/,
    kind: "quota",
    decision: "next-region",
  },
  // Entra ID sign-in errors carry their own number, which is what the user searches for.
  {
    cloud: "azure",
    code: "AADSTS",
    match: /\b(?<code>AADSTS\d+)\b/,
    kind: "credentials",
    decision: "stop",
  },
  {
    cloud: "azure",
    code: "AuthorizationFailed",
    match: /\bAuthorizationFailed\b/,
    kind: "credentials",
    decision: "stop",
  },
  {
    cloud: "azure",
    code: "InvalidParameter",
    match: /\bInvalidParameter\b/,
    kind: "invalid",
    decision: "stop",
  },
  {
    cloud: "azure",
    code: "TooManyRequests",
    match: /\bTooManyRequests\b/,
    kind: "transient",
    decision: "retry",
  },

  // --- Message-only forms, last. GCP operation errors through the Terraform bridge print the
  // message without the reason.
  {
    cloud: "gcp",
    code: "does not have enough resources available",
    match: /does not have enough resources available/,
    kind: "capacity",
    decision: "next-zone",
  },
  {
    cloud: "gcp",
    code: "could not find default credentials",
    match: /could not find default credentials/,
    kind: "credentials",
    decision: "stop",
  },
  {
    cloud: "gcp",
    code: "Invalid value for field",
    match: /Invalid value for field/,
    kind: "invalid",
    decision: "stop",
  },
];

export interface Classification {
  entry: ErrorEntry | null;
  code: string | null;
}

const CLOUDS: ReadonlySet<string> = new Set(["aws", "gcp", "azure"]);

/**
 * The first table row matching `text`, and the code to report. With a known cloud, only its rows
 * (and `any` rows) are considered, so that a GCP message never reads as an AWS code. Any other
 * backend (`local`, whose fault injection imitates the clouds' texts) is checked against them all.
 */
export function classifyCloudError(text: string, cloud?: string): Classification {
  const scoped = cloud !== undefined && CLOUDS.has(cloud);
  for (const entry of ERROR_TABLE) {
    if (scoped && entry.cloud !== "any" && entry.cloud !== cloud) continue;
    const m = entry.match.exec(text);
    if (m !== null) return { entry, code: m.groups?.["code"] ?? entry.code };
  }
  return { entry: null, code: null };
}
