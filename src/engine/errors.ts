// Typed engine errors with stable codes. Classification uses the Automation API's typed errors first and
// the cloud's error text only where Pulumi gives nothing structured (capacity, credentials, quota).
import { UserError } from "../errors.js";

export type EngineErrorCode =
  "locked" | "cancelled" | "capacity" | "quota" | "credentials" | "cli-missing" | "failed";

export class EngineError extends UserError {
  constructor(
    readonly engineCode: EngineErrorCode,
    message: string,
    hint?: string,
    /** The engine's own words, trimmed, for the failure report. */
    readonly detail?: string,
  ) {
    // The engine's own words belong in what the user reads, not only in the report.
    super(
      `engine-${engineCode}`,
      detail === undefined || detail === "" ? message : `${message}:\n${detail.replace(/^/gm, "  ")}`,
      hint,
      // Cancelled by Ctrl-C: the shell's convention for an interrupted command.
      engineCode === "cancelled" ? 130 : 1,
    );
    this.name = "EngineError";
  }
}

const CAPACITY = [
  /InsufficientInstanceCapacity|InsufficientHostCapacity|InsufficientReservedInstanceCapacity|InsufficientCapacity|UnfulfillableCapacity|MaxSpotInstanceCountExceeded|SpotMaxPriceTooLow/,
  /ZONE_RESOURCE_POOL_EXHAUSTED|does not have enough resources available/,
  /SkuNotAvailable|ZonalAllocationFailed|AllocationFailed|OverconstrainedAllocationRequest/,
  /no capacity/i,
];
const QUOTA = [/InstanceLimitExceeded|VcpuLimitExceeded|QUOTA_EXCEEDED|OperationNotAllowed.*quota/i];
const CREDENTIALS = [
  /NoCredentialProviders|InvalidClientTokenId|AuthFailure|UnauthorizedOperation|could not find default credentials|AADSTS\d+|invalid_grant/i,
];

/** The first lines of the engine's error that say what went wrong, without the CLI's boilerplate. */
export function engineDetail(text: string): string {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter(
      (l) =>
        l !== "" &&
        !/^(code|stdout|stderr|err\?):/.test(l) &&
        !l.startsWith("Updating (") &&
        !l.startsWith("View in Browser"),
    );
  const errorLines = lines.filter((l) => /error/i.test(l));
  return (errorLines.length > 0 ? errorLines : lines).slice(0, 6).join("\n");
}

export function classifyText(text: string): EngineErrorCode {
  if (CAPACITY.some((re) => re.test(text))) return "capacity";
  if (QUOTA.some((re) => re.test(text))) return "quota";
  if (CREDENTIALS.some((re) => re.test(text))) return "credentials";
  return "failed";
}
