// Azure fault texts: ARM's `Code="<code>" Message="<message>"` for a failed VM create.
import type { FaultError } from "../core/faults.js";
import { uuidOf } from "../core/hash.js";
import type { FaultSubject } from "../core/kind.js";

type Text = (s: FaultSubject) => string;

const ALLOCATION = (where: string): string =>
  `Allocation failed. We do not have sufficient capacity for the requested VM size in this ${where}. Read more about improving likelihood of allocation success at http://aka.ms/allocation-guidance`;

const TEXTS: Record<FaultError, Record<string, Text>> = {
  capacity: {
    ZonalAllocationFailed: () => ALLOCATION("zone"),
    AllocationFailed: () => ALLOCATION("region"),
    SkuNotAvailable: (s) =>
      `The requested VM size for resource 'Following SKUs have failed for Capacity Restrictions: ${s.instanceType}' is currently not available in location '${s.region}'. Please try another size or deploy to a different location or different zone. See https://aka.ms/azureskunotavailable for details.`,
    OverconstrainedAllocationRequest: () =>
      "Allocation failed. VM(s) with the following constraints cannot be allocated, because the condition is too restrictive. Please remove some constraints and try again. Constraints applied are:\n  - Availability Zone\n  - VM Size\n",
  },
  quota: {
    OperationNotAllowed: (s) =>
      `Operation could not be completed as it results in exceeding approved Total Regional Cores quota. Additional details - Deployment Model: Resource Manager, Location: ${s.region}, Current Limit: 0, Current Usage: 0, Additional Required: 24, (Minimum) New Limit Required: 24. Submit a request for Quota increase at https://aka.ms/ProdportalCRP/#blade/Microsoft_Azure_Capacity/UsageAndQuota.ReactView by specifying parameters listed in the 'Details' section for deployment to succeed. Please read more about quota limits at https://docs.microsoft.com/en-us/azure/azure-supportability/regional-quota-requests`,
  },
  credentials: {
    AuthorizationFailed: (s) =>
      `The client '${uuidOf(`client:${s.path}`)}' with object id '${uuidOf(`object:${s.path}`)}' does not have authorization to perform action 'Microsoft.Compute/virtualMachines/write' over scope '${s.path}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
  },
  invalid: {
    InvalidParameter: () => "The value of parameter hardwareProfile.vmSize is invalid.",
  },
};

/** ARM names the offending property for parameter errors. */
const TARGETS: Record<string, string> = { InvalidParameter: "hardwareProfile.vmSize" };

export function azureFaultCodes(error: FaultError): readonly string[] {
  return Object.keys(TEXTS[error]);
}

/** Without a code, capacity is ZonalAllocationFailed for a zonal VM and AllocationFailed otherwise. */
export function azureFaultMessage(s: FaultSubject, error: FaultError, code: string | undefined): string {
  const name =
    code ??
    (error === "capacity"
      ? s.zonal === true
        ? "ZonalAllocationFailed"
        : "AllocationFailed"
      : azureFaultCodes(error)[0]) ??
    "";
  const text = TEXTS[error][name];
  if (text === undefined) throw new Error(`fake-cloud (azure-native): no ${error} text "${name}"`);
  const target = TARGETS[name];
  return `Code="${name}" Message="${text(s)}"${target === undefined ? "" : ` Target="${target}"`}`;
}
