// `dstack apply` of a volume: the thin CLI over the toolkit (src/volumes/apply-volume.ts). The diff of
// the volume's own stack, [y/n], then the volume; with volume_id, an existing one registered. `--json`
// prints the volume record (or the dry run's plan) on stdout while progress goes to stderr.
import type { VolumeSpec } from "../../src/compiler/spec.js";
import { formatSize } from "../../src/compiler/grammar/units.js";
import { volumeWhere } from "../../src/volumes/settings.js";
import type { VolumeRecord } from "../../src/volumes/store.js";
import type { CommandContext, Values } from "../command.js";
import { toolkitFor } from "../toolkit.js";
import { withFailureJson } from "./failure-json.js";

const describe = (v: VolumeRecord): string =>
  `${v.name} (${volumeWhere(v)}${v.size_gb === null ? "" : `, ${formatSize(v.size_gb)}`}${v.volume_id === null ? "" : `, ${v.volume_id}`})`;

export async function applyVolumeCommand(
  ctx: CommandContext,
  values: Values,
  file: string,
  spec: VolumeSpec,
): Promise<number> {
  const json = values.json === true;
  const outcome = await toolkitFor(ctx)
    .applyVolume({
      spec,
      configFile: file,
      dryRun: values["dry-run"] === true,
      backendUrl: typeof values["backend-url"] === "string" ? values["backend-url"] : undefined,
    })
    .catch(withFailureJson(ctx, json));
  if (outcome.kind === "declined") return 0;
  if (outcome.kind === "dry-run") {
    if (json) ctx.out.json({ dry_run: true, plan: outcome.plan });
    else ctx.out.error("Dry run: nothing was changed.");
    return 0;
  }
  const { volume } = outcome;
  if (json) {
    ctx.out.json({
      volume,
      result: outcome.kind,
      ...(outcome.kind === "created" ? { plan: outcome.plan } : {}),
    });
    return 0;
  }
  const text = {
    created: `Volume ${describe(volume)} created${outcome.kind === "created" && outcome.adopted ? " (the existing Docker volume, data kept)" : ""}. Runs mount it by name (volumes: [${volume.name}:/path]); only \`dstack volume delete ${volume.name}\` deletes it.`,
    registered: `Volume ${describe(volume)} registered: runs mount it by name; \`dstack volume delete ${volume.name}\` only forgets it.`,
    unchanged: `Volume ${describe(volume)} already exists: no changes.`,
  }[outcome.kind];
  ctx.out.print(text);
  return 0;
}
