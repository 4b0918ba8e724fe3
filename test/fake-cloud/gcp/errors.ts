// GCP fault texts as terraform-provider-google (bridged into pulumi-gcp) prints them: operation errors
// carry the operation's message only ("Error waiting for instance to create: <message>"), synchronous
// API errors the googleapi form ("Error creating instance: googleapi: Error 403: <message>, <reason>").
import type { FaultError } from "../core/faults.js";
import { hexOf } from "../core/hash.js";
import type { FaultSubject } from "../core/kind.js";

const EXHAUSTED = (s: FaultSubject): string =>
  `The zone 'projects/${s.project ?? ""}/zones/${s.zone}' does not have enough resources available to fulfill the request.`;

type Text = (s: FaultSubject) => string;

/** Compute Engine instances. The key "" is the text when the rule names no `code`. */
const INSTANCE: Record<FaultError, Record<string, Text>> = {
  capacity: {
    "": (s) =>
      `Error waiting for instance to create: ${EXHAUSTED(s)}  Try a different zone, or try again later.`,
    ZONE_RESOURCE_POOL_EXHAUSTED: (s) =>
      `Error waiting for instance to create: ZONE_RESOURCE_POOL_EXHAUSTED: ${EXHAUSTED(s)}  Try a different zone, or try again later.`,
    ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS: (s) =>
      `Error waiting for instance to create: ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS: ${EXHAUSTED(s)}  '(resource type:compute)'.`,
  },
  quota: {
    "": (s) =>
      `Error creating instance: googleapi: Error 403: Quota '${s.quotaMetric ?? "CPUS"}' exceeded.  Limit: 0.0 in region ${s.region}., quotaExceeded`,
    GPUS_ALL_REGIONS: () =>
      `Error creating instance: googleapi: Error 403: Quota 'GPUS_ALL_REGIONS' exceeded.  Limit: 0.0 globally., quotaExceeded`,
  },
  credentials: {
    "": (s) =>
      `Error creating instance: googleapi: Error 403: Required 'compute.instances.create' permission for '${s.path}', forbidden`,
  },
  invalid: {
    "": (s) =>
      `Error creating instance: googleapi: Error 400: Invalid value for field 'resource.machineType': 'projects/${s.project ?? ""}/zones/${s.zone}/machineTypes/${s.instanceType}'. Machine type with name '${s.instanceType}' does not exist in zone '${s.zone}'., invalid`,
  },
};

/** TPU VMs (tpu.googleapis.com, an MMv1 resource: "Error waiting to create V2Vm: ..."). */
const TPU: Record<FaultError, Record<string, Text>> = {
  capacity: {
    "": (s) =>
      `Error waiting to create V2Vm: Error waiting for Creating V2Vm: Error code 8, message: There is no more capacity in the zone "${s.zone}"; you can try in another zone where Cloud TPU Nodes are offered (see https://cloud.google.com/tpu/docs/regions) [EID: 0x${hexOf(s.path, 16)}]`,
  },
  quota: {
    "": (s) =>
      `Error creating V2Vm: googleapi: Error 429: Quota limit 'TPUV5sLitepodPerProjectPerZoneForTPUAPI' has been exceeded. Limit: 0 in zone ${s.zone}.`,
  },
  credentials: {
    "": (s) =>
      `Error creating V2Vm: googleapi: Error 403: Permission 'tpu.nodes.create' denied on '${s.path}', forbidden`,
  },
  invalid: {
    "": (s) =>
      `Error creating V2Vm: googleapi: Error 400: Invalid value for field 'acceleratorType': '${s.instanceType}'., badRequest`,
  },
};

export function gcpFaultCodes(error: FaultError): readonly string[] {
  return Object.keys(INSTANCE[error]).filter((k) => k !== "");
}

export function gcpFaultMessage(s: FaultSubject, error: FaultError, code: string | undefined): string {
  const table = s.tpu === true ? TPU[error] : INSTANCE[error];
  const text = table[code ?? ""] ?? table[""];
  if (text === undefined) throw new Error(`fake-cloud (gcp): no ${error} text "${code ?? ""}"`);
  return text(s);
}
