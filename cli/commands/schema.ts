// `dstack schema`: the JSON Schema of configuration files (or of profiles.yml with --profiles).
import { configurationJsonSchema, profilesJsonSchema } from "../../src/compiler/schema/json-schema.js";
import type { CommandContext, Values } from "../command.js";

export async function run(ctx: CommandContext, values: Values): Promise<number> {
  ctx.out.json(values.profiles === true ? profilesJsonSchema() : configurationJsonSchema());
  return Promise.resolve(0);
}
