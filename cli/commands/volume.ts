// `dstack volume list | delete`: the volumes dstack created or registered, who uses each one, and the
// deletion of one (refused while a run uses it; a registered volume is only forgotten).
import { closest } from "../../src/compiler/suggest.js";
import { usageError } from "../../src/errors.js";
import { volumeWhere } from "../../src/volumes/settings.js";
import { VOLUME_TABLE_HEAD, volumeTableRow } from "../../src/volumes/volume-view.js";
import { textTable } from "../../src/text-table.js";
import type { CommandContext, Values } from "../command.js";
import { toolkitFor } from "../toolkit.js";

const SUBCOMMANDS = ["list", "delete"];

export async function run(ctx: CommandContext, values: Values, positionals: string[]): Promise<number> {
  const [sub, ...rest] = positionals;
  switch (sub) {
    case "list":
    case "ls":
      if (rest.length > 0) throw usageError(`unexpected "${rest.join(" ")}"`, "volume list takes flags only");
      return list(ctx, values);
    case "delete":
    case "rm":
      return remove(ctx, rest);
    default: {
      const near = sub === undefined ? undefined : closest(sub, SUBCOMMANDS);
      throw usageError(
        sub === undefined ? "missing subcommand" : `unknown subcommand "${sub}"`,
        near === undefined ? `use one of: ${SUBCOMMANDS.join(", ")}` : `did you mean "${near}"?`,
      );
    }
  }
}

async function list(ctx: CommandContext, values: Values): Promise<number> {
  const rows = await toolkitFor(ctx).volumes();
  if (values.json === true) {
    ctx.out.json({ volumes: rows });
    return 0;
  }
  if (rows.length === 0) {
    ctx.out.print("No volumes yet: `dstack apply -f volume.dstack.yml` creates (or registers) one.");
    return 0;
  }
  ctx.out.print(textTable([VOLUME_TABLE_HEAD, ...rows.map(volumeTableRow)]));
  return 0;
}

async function remove(ctx: CommandContext, names: string[]): Promise<number> {
  const [name] = names;
  if (name === undefined || names.length > 1)
    throw usageError("name one volume", "dstack volume list shows them");
  const outcome = await toolkitFor(ctx).deleteVolume(name);
  if (outcome.kind === "declined") return 0;
  const { volume } = outcome;
  if (outcome.kind === "forgotten") {
    ctx.out.print(
      `Forgot the registered volume ${name} (${volumeWhere(volume)}, ${volume.volume_id ?? "?"}); dstack did not create it, so it was not deleted.`,
    );
    return 0;
  }
  const removed = outcome.removedContainers;
  const containers =
    removed.length === 0
      ? ""
      : ` (with the container${removed.length === 1 ? "" : "s"} of ended runs that named it: ${removed.join(", ")})`;
  ctx.out.print(`Deleted the volume ${name} (${volumeWhere(volume)}) and its data${containers}.`);
  return 0;
}
