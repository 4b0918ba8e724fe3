// Every command, as data. Implementations load lazily.
import type { CommandSpec } from "./command.js";
import { CATALOG_COMMAND, OFFER_COMMAND } from "./catalog-commands.js";
import { CONFIG_FLAGS, CONFIG_HELP, OVERRIDE_FLAGS, OVERRIDE_HELP } from "./flags.js";

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: "validate",
    summary: "check a configuration and print it normalized",
    usage:
      "dstack validate [-f FILE] [--profile NAME | --no-profile] [-e NAME=VALUE]... [overrides] [--json]",
    help: [...CONFIG_HELP, ...OVERRIDE_HELP],
    options: { ...CONFIG_FLAGS, ...OVERRIDE_FLAGS },
    load: () => import("./commands/validate.js"),
  },
  OFFER_COMMAND,
  CATALOG_COMMAND,
  {
    name: "schema",
    summary: "print the JSON Schema of configuration files (or of profiles.yml)",
    usage: "dstack schema [--profiles]",
    help: [["--profiles", "the schema of .dstack/profiles.yml instead"]],
    options: { profiles: { type: "boolean" } },
    load: () => import("./commands/schema.js"),
  },
];
