// `dstack apply`: plan (offers, then the infrastructure diff), confirm, provision or reuse, submit, and
// stay attached (port forwards, logs) until Ctrl-C, which detaches without stopping. `-d` returns once
// the run is up. A fleet goes to apply-fleet.ts (cloud pool stacks), a volume to apply-volume.ts.
import { UserError } from "../../src/errors.js";
import { provisionTuning } from "../../src/provisioning/provision-tuning.js";
import { ideLink } from "../../src/runs/ide-link.js";
import type { CommandContext, Values } from "../command.js";
import { compileFromFlags, RUN_ARGS } from "../compile-config.js";
import { toolkitFor } from "../toolkit.js";
import { planCostJson } from "../../src/catalog/plan-cost.js";
import { withFailureJson } from "./failure-json.js";
import { applyFleetCommand } from "./apply-fleet.js";
import { applyVolumeCommand } from "./apply-volume.js";
import { offersTable } from "./offer-render.js";
import { pendingJson } from "./pending-render.js";

const SHOWN_OFFERS = 3;

export async function run(ctx: CommandContext, flags: Values, positionals: string[] = []): Promise<number> {
  const values: Values = positionals.length === 0 ? flags : { ...flags, [RUN_ARGS]: positionals };
  const { file, result } = compileFromFlags(ctx, values);
  if (result.spec === null) return 1;
  const spec = result.spec;
  if (positionals.length > 0 && spec.type !== "task" && spec.type !== "service")
    throw new UserError(
      "usage",
      `run arguments (${positionals.join(" ")}) are for tasks and services: a ${spec.type} has no commands to pass them to`,
      "remove them, or pass flags before `--` as dstack options",
      2,
    );
  const build = values["force-build"] === true ? "force" : values.build === true ? "missing" : "never";
  if (build !== "never" && (spec.type === "fleet" || spec.type === "volume"))
    throw new UserError(
      "usage",
      `--${build === "force" ? "force-build" : "build"} is for dev environments and tasks with \`build\`, not a ${spec.type}`,
      "leave the flag out",
      2,
    );
  if (spec.type === "fleet") return applyFleetCommand(ctx, values, file, spec);
  if (spec.type === "volume") return applyVolumeCommand(ctx, values, file, spec);
  const json = values.json === true;
  const kit = toolkitFor(ctx);
  // The toolkit recovers what a killed dstack left first, and keeps the reaper after.
  const outcome = await kit
    .apply({
      tuning: provisionTuning(ctx.env),
      spec,
      configFile: file,
      repoDir: ctx.cwd,
      backendUrl: typeof values["backend-url"] === "string" ? values["backend-url"] : undefined,
      dryRun: values["dry-run"] === true,
      verbose: values.verbose === true,
      build,
      // -d: a first pass without capacity hands the retrying to a background process (without -d the
      // retrying stays here, in the foreground).
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
        attempts: outcome.attempts.map(({ offer: _offer, ...a }) => a),
        cost: planCostJson(outcome.cost),
      });
    else ctx.out.error("Dry run: nothing was changed.");
    return 0;
  }
  if (outcome.kind === "pending") {
    const p = outcome.pending;
    if (json) ctx.out.json({ run: pendingJson(p) });
    else
      ctx.out.print(
        `${p.name} is pending: no capacity yet after ${p.attempts} attempt${p.attempts === 1 ? "" : "s"}; retrying in the background (pid ${p.process?.pid ?? "?"}) until ${p.retry_until}.\n` +
          `dstack ps shows it, dstack stop ${p.name} cancels it; log: ${p.log_file}`,
      );
    return 0;
  }
  if (outcome.kind === "updated") {
    if (json) ctx.out.json({ run: outcome.run.name, updated_in_place: outcome.changed });
    else ctx.out.print(`Updated ${outcome.run.name} in place: ${outcome.changed.join(", ")}`);
    return 0;
  }
  const { run: record } = outcome;
  if (json) {
    // Machine output: the plan and where the run is, on stdout; everything human went to stderr.
    ctx.out.json({
      run: {
        name: record.name,
        type: record.type,
        backend: record.backend,
        region: record.region ?? null,
        zone: record.zone ?? null,
        instance: record.instance,
        status: outcome.view.status,
      },
      reused_instance: outcome.reused,
      plan: outcome.plan,
      cost: planCostJson(outcome.cost),
      ssh: record.type === "dev-environment" ? `ssh ${record.name}` : null,
      ide_link: record.type === "dev-environment" ? (ideLink(record.spec, record.name)?.url ?? null) : null,
    });
  } else if (record.type === "dev-environment") {
    // No ide (dstack's default): SSH only, no link.
    const link = ideLink(record.spec, record.name);
    const open = link === null ? "" : `\nTo open in ${link.ide}, use this link:\n  ${link.url}\n`;
    ctx.out.print(`${open}\nTo connect via SSH:\n  ssh ${record.name}`);
  }
  if (values.detach === true) return 0;
  if (record.type === "dev-environment")
    ctx.out.error("\nAttached; press Ctrl-C to detach (the run keeps running).");
  const ended = await kit.attach(record);
  if (ended === undefined) {
    ctx.out.error(
      `Detached from ${record.name}; it keeps running (dstack attach ${record.name}, dstack stop ${record.name}).`,
    );
    return 0;
  }
  ctx.out.error(
    `${record.name} ${ended.status}${ended.stop_reason === null ? "" : ` (${ended.stop_reason})`}${ended.exit_code === null ? "" : `, exit code ${ended.exit_code}`}`,
  );
  return ended.exit_code ?? (ended.status === "exited" ? 0 : 1);
}
