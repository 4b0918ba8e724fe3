// `dstack gc [--yes] [--volumes] [--json] [--backend-url URL]`: the resources tagged dstack-managed that
// no stack owns (src/gc), as a table; with --yes they are deleted through Pulumi (import, destroy).
// Volumes hold data: they are listed always and deleted only with --volumes as well.
import { formatAge } from "../../src/toolkit/run-status.js";
import { textTable } from "../../src/text-table.js";
import { dstackTags, type FoundResource } from "../../src/gc/found.js";
import { deleteFound, findOrphans, type GcDeletion, type GcFindings, type GcInput } from "../../src/gc/gc.js";
import { usageError } from "../../src/errors.js";
import type { CommandContext, Values } from "../command.js";

function where(r: FoundResource): string {
  return r.cloud === "gcp" ? `${r.scope}/${r.location}` : r.location;
}

function owner(r: FoundResource): string {
  const t = r.tags;
  const pool = [t["dstack-project"], t["dstack-pool"], t["dstack-instance"] ?? t["dstack-volume"]]
    .filter((v) => v !== undefined && v !== "")
    .join("/");
  return [r.name, pool === "" ? "" : `(${pool})`].filter((v) => v !== "").join(" ") || "-";
}

function created(r: FoundResource, now: number): string {
  const at = r.created === null ? NaN : Date.parse(r.created);
  if (Number.isNaN(at)) return "-";
  const seconds = Math.max(0, (now - at) / 1000);
  // Orphans are often old: days read better than thousands of hours.
  return seconds >= 2 * 86_400 ? `${Math.floor(seconds / 86_400)}d ago` : `${formatAge(seconds)} ago`;
}

function table(resources: readonly FoundResource[]): string {
  const now = Date.now();
  const rows = resources.map((r) => [r.cloud, where(r), r.kind, r.id, owner(r), created(r, now)]);
  return textTable([["CLOUD", "REGION", "TYPE", "ID", "NAME/TAGS", "CREATED"], ...rows]);
}

const view = (r: FoundResource): Record<string, unknown> => ({ ...r, tags: dstackTags(r.tags) });

function json(findings: GcFindings, deletion: GcDeletion | undefined): Record<string, unknown> {
  return {
    orphans: findings.orphans.map(view),
    tagged: findings.found.length,
    searched: { aws: findings.targets.aws, gcp: findings.targets.gcp },
    unsearched: findings.targets.unsearched,
    state_backends: findings.stateBackends,
    stacks: findings.stacks,
    busy_stacks: findings.busy,
    ...(deletion === undefined
      ? {}
      : {
          deleted: deletion.deleted.map((r) => r.id),
          kept_volumes: deletion.kept.map((r) => r.id),
          failed: deletion.failed.map((f) => ({ id: f.resource.id, message: f.message })),
        }),
  };
}

function summary(ctx: CommandContext, findings: GcFindings): void {
  const n = findings.found.length;
  if (findings.orphans.length === 0) {
    ctx.out.print(
      n === 0
        ? "No orphans: no tagged resources."
        : `No orphans: ${n} tagged resource${n === 1 ? "" : "s"}, all owned by stacks.`,
    );
    return;
  }
  ctx.out.print(table(findings.orphans));
  ctx.out.print(
    `${findings.orphans.length} of ${n} tagged resources belong to no stack in ${findings.stateBackends.join(", ")}.`,
  );
}

function deletionText(ctx: CommandContext, d: GcDeletion): void {
  for (const r of d.deleted) ctx.out.print(`Deleted ${r.kind} ${r.id} (${r.cloud} ${where(r)}).`);
  for (const f of d.failed)
    ctx.out.print(`Could not delete ${f.resource.kind} ${f.resource.id}: ${f.message}`);
  if (d.kept.length > 0)
    ctx.out.print(
      `Kept ${d.kept.length} orphaned volume${d.kept.length === 1 ? "" : "s"} (they hold data): ${d.kept.map((r) => r.id).join(", ")}; dstack gc --yes --volumes deletes ${d.kept.length === 1 ? "it" : "them"} too.`,
    );
}

export async function run(ctx: CommandContext, values: Values): Promise<number> {
  if (values.volumes === true && values.yes !== true)
    throw usageError("--volumes only means something with --yes", "dstack gc --yes --volumes");
  const input: GcInput = {
    home: ctx.home,
    env: ctx.env,
    signal: ctx.signal,
    ...(typeof values["backend-url"] === "string" ? { backendUrl: values["backend-url"] } : {}),
    onStep: (text) => ctx.io.notify({ code: "gc.step", level: "info", text }),
  };
  const findings = await findOrphans(input);
  for (const text of findings.targets.unsearched)
    ctx.io.notify({ code: "gc.unsearched", level: "warn", text: `Not searched: ${text}` });
  const deleting = values.yes === true && findings.orphans.length > 0;
  if (values.json !== true) summary(ctx, findings);
  if (!deleting) {
    if (values.json === true) ctx.out.json(json(findings, undefined));
    else if (findings.orphans.length > 0)
      ctx.out.print("Delete them with dstack gc --yes (volumes also need --volumes).");
    return 0;
  }
  const deletion = await deleteFound(input, findings, {
    volumes: values.volumes === true,
    onGroup: (group) =>
      ctx.io.notify({
        code: "gc.delete",
        level: "info",
        text: `Deleting ${group.map((r) => `${r.kind} ${r.id}`).join(", ")}...`,
        data: { ids: group.map((r) => r.id) },
      }),
  });
  if (values.json === true) ctx.out.json(json(findings, deletion));
  else deletionText(ctx, deletion);
  return deletion.failed.length > 0 ? 1 : 0;
}
