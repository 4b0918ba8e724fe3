// `apply --json` of a run or a fleet when every attempt failed: the report goes to stderr (as the
// error), and the same facts go to stdout as JSON, so scripts need not parse the text.
import { failureReportJson } from "../../src/planner/failure-report.js";
import { ProvisionFailed } from "../../src/provisioning/provision.js";
import type { CommandContext } from "../command.js";

/** A `.catch` for apply: prints the JSON failure report when asked, then rethrows. */
export function withFailureJson(ctx: CommandContext, json: boolean): (error: unknown) => never {
  return (error) => {
    if (json && error instanceof ProvisionFailed)
      ctx.out.json({
        provisioned: false,
        passes: error.passes,
        failure_report: failureReportJson(error.tries),
      });
    throw error;
  };
}
