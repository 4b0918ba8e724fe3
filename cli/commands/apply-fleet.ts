// `dstack apply` of a fleet: the thin CLI over the toolkit (src/toolkit/fleets.ts). Offers, the attempt
// order (-v, --dry-run), the infrastructure diff, [y/n], then the instances; `--json` prints the fleet
// record (or the failure report) on stdout while progress goes to stderr.
import type { FleetSpec } from "../../src/compiler/spec.js";
import { fleetJson, fleetWhere } from "../../src/fleets/fleet-view.js";
import { attemptJson } from "../../src/planner/attempt-plan.js";
import { planCostJson } from "../../src/catalog/plan-cost.js";
import type { CommandContext, Values } from "../command.js";
import { toolkitFor } from "../toolkit.js";
import { withFailureJson } from "./failure-json.js";
import { offersTable } from "./offer-render.js";

const SHOWN_OFFERS = 3;

export async function applyFleetCommand(
  ctx: CommandContext,
  values: Values,
  file: string,
  spec: FleetSpec,
): Promise<number> {
  const json = values.json === true;
  const outcome = await toolkitFor(ctx)
    .applyFleet({
      spec,
      configFile: file,
      cwd: ctx.cwd,
      backendUrl: typeof values["backend-url"] === "string" ? values["backend-url"] : undefined,
      dryRun: values["dry-run"] === true,
      verbose: values.verbose === true,
      // -d under retry: a first pass without capacity hands the retrying to a background process (a
      // fleet's apply otherwise returns once its instances exist, retrying in the foreground meanwhile).
      detachWith: values.detach === true ? values : undefined,
      renderOffers: (matched) => offersTable(matched.slice(0, SHOWN_OFFERS), matched),
    })
    .catch(withFailureJson(ctx, json));
  if (outcome.kind === "declined") return 0;
  if (outcome.kind === "dry-run") {
    if (json)
      ctx.out.json({
        dry_run: true,
        plan: outcome.plan,
        attempts: outcome.attempts.map(attemptJson),
        cost: planCostJson(outcome.cost),
      });
    else ctx.out.error("Dry run: nothing was changed.");
    return 0;
  }
  if (outcome.kind === "pending") {
    const f = outcome.fleet;
    const r = f.retrying;
    if (json) ctx.out.json({ fleet: fleetJson(f, "pending"), attempts: outcome.tries.length });
    else
      ctx.out.print(
        `Fleet ${f.name} is pending: no capacity yet after ${r?.attempts ?? 0} attempts; retrying in the background (pid ${r?.process?.pid ?? "?"}).\n` +
          `dstack ps shows it, dstack delete ${f.name} cancels it; log: ${r?.log_file ?? ""}`,
      );
    return 0;
  }
  const { fleet } = outcome;
  if (json) {
    ctx.out.json({
      fleet: fleetJson(fleet, "provisioned"),
      plan: outcome.plan,
      cost: planCostJson(outcome.cost),
      attempts: outcome.tries.length + 1,
    });
    return 0;
  }
  const lines = fleet.instances.map(
    (i) =>
      `  ${i.name}  ${i.id}  ${i.zone}  ${i.public_ip === "" ? "(no public IP)" : i.public_ip}  ${i.ssh_user}`,
  );
  ctx.out.print(
    [
      `Fleet ${fleet.name} provisioned: ${fleet.instances.length} x ${fleet.instance_type} (${fleet.spot ? "spot" : "on-demand"}) on ${fleet.backend} ${fleetWhere(fleet)}:`,
      ...lines,
      `Their agents report once the instances boot; dstack ps lists the fleet, dstack delete ${fleet.name} destroys it.`,
    ].join("\n"),
  );
  return 0;
}
