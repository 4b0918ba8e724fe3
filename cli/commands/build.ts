// `dstack build -f FILE`: the prebuilt image of a configuration's `build` commands, made once on an
// instance (reused or provisioned like a run's) and pushed to the registry under its key; later runs
// start from it. `--list` shows the registry's prebuilt images, `--delete REF` deletes one.
import { usageError } from "../../src/errors.js";
import type { PlacedImage } from "../../src/toolkit/prebuilt-images.js";
import { provisionTuning } from "../../src/provisioning/provision-tuning.js";
import { textTable } from "../../src/text-table.js";
import { formatAge } from "../../src/toolkit/run-status.js";
import type { CommandContext, Values } from "../command.js";
import { compileFromFlags } from "../compile-config.js";
import { toolkitFor } from "../toolkit.js";
import { offersTable } from "./offer-render.js";

const SHOWN_OFFERS = 3;

export async function run(ctx: CommandContext, values: Values, positionals: string[]): Promise<number> {
  if (positionals.length > 0)
    throw usageError(
      `unexpected "${positionals.join(" ")}"`,
      "dstack build takes flags only (-f FILE, --list, --delete REF)",
    );
  const modes = ["list", "delete"].filter((m) => values[m] !== undefined);
  if (modes.length > 1) throw usageError("--list and --delete contradict each other", "give one");
  if (values.list === true) return list(ctx, values);
  if (typeof values.delete === "string") return remove(ctx, values.delete);
  return build(ctx, values);
}

async function build(ctx: CommandContext, values: Values): Promise<number> {
  const { file, result } = compileFromFlags(ctx, values);
  if (result.spec === null) return 1;
  const spec = result.spec;
  if (spec.type === "fleet" || spec.type === "volume")
    throw usageError(
      `${file} is a ${spec.type}: only dev environments and tasks have \`build\``,
      "pass -f with a dev environment or task that lists build commands",
    );
  const json = values.json === true;
  const outcome = await toolkitFor(ctx).build({
    spec,
    configFile: file,
    repoDir: ctx.cwd,
    force: values.force === true,
    dryRun: values["dry-run"] === true,
    tuning: provisionTuning(ctx.env),
    renderOffers: (matched) => offersTable(matched.slice(0, SHOWN_OFFERS), matched),
  });
  const key = outcome.target.key;
  if (outcome.kind === "exists") {
    const created = outcome.found.manifest.created;
    if (json)
      ctx.out.json({
        image: outcome.found.ref,
        key: key.key,
        built: false,
        created: created?.toISOString() ?? null,
      });
    else
      ctx.out.print(
        `${outcome.found.ref} already exists${created === undefined ? "" : ` (built ${age(created)} ago)`}: nothing to do (--force builds it again).`,
      );
    return 0;
  }
  if (outcome.kind === "declined") return 0;
  if (outcome.kind === "dry-run") {
    if (json) ctx.out.json({ dry_run: true, image: outcome.target.ref, key: key.key, plan: outcome.plan });
    else ctx.out.error("Dry run: nothing was changed.");
    return 0;
  }
  const { image } = outcome;
  if (json)
    ctx.out.json({
      image: image.ref,
      key: key.key,
      built: true,
      digest: image.digest,
      size: image.size,
      seconds: image.seconds,
      instance: image.instance,
      reused_instance: outcome.reused,
      hashed_files: key.hashedFiles,
    });
  else ctx.out.print(image.ref);
  return 0;
}

async function list(ctx: CommandContext, values: Values): Promise<number> {
  const images = await toolkitFor(ctx).prebuiltImages();
  if (values.json === true) {
    ctx.out.json({ images: images.map(imageJson) });
    return 0;
  }
  if (images.length === 0) {
    ctx.out.print(
      "No prebuilt images yet: `dstack build -f FILE` builds one from a configuration's `build`.",
    );
    return 0;
  }
  ctx.out.print(
    textTable([
      ["REPOSITORY", "KEY", "WHERE", "SIZE", "BASE", "BUILT"],
      ...images.map((i) => [
        i.repository,
        i.key,
        i.where,
        `${(i.size / 1e6).toFixed(1)} MB`,
        i.base ?? "?",
        i.created === null ? "?" : `${age(i.created)} ago`,
      ]),
    ]),
  );
  return 0;
}

const imageJson = (i: PlacedImage) => ({
  image: i.ref,
  where: i.where,
  repository: i.repository,
  key: i.key,
  digest: i.digest,
  size: i.size,
  base: i.base,
  config: i.config,
  created: i.created?.toISOString() ?? null,
});

async function remove(ctx: CommandContext, ref: string): Promise<number> {
  if (!(await ctx.io.confirm(`Delete the prebuilt image ${ref}?`))) return 0;
  const deleted = await toolkitFor(ctx).deletePrebuilt(ref);
  ctx.out.print(`Deleted ${deleted} (a run of its configuration needs \`dstack build\` again).`);
  return 0;
}

const age = (date: Date): string => formatAge(Math.max(0, (Date.now() - date.getTime()) / 1000));
