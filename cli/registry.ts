// Every command, as data. Implementations load lazily.
import type { CommandSpec } from "./command.js";
import { CATALOG_COMMAND, OFFER_COMMAND } from "./catalog-commands.js";
import { CONFIG_FLAGS, CONFIG_HELP, OVERRIDE_FLAGS, OVERRIDE_HELP } from "./flags.js";
import { GENERATE_COMMAND } from "./generate-command.js";
import { RUN_COMMANDS } from "./run-commands.js";
import { VOLUME_COMMAND } from "./volume-command.js";

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
  ...RUN_COMMANDS,
  VOLUME_COMMAND,
  GENERATE_COMMAND,
  CATALOG_COMMAND,
  {
    name: "schema",
    summary: "print the JSON Schema of configuration files (or of profiles.yml)",
    usage: "dstack schema [--profiles]",
    help: [["--profiles", "the schema of .dstack/profiles.yml instead"]],
    options: { profiles: { type: "boolean" } },
    load: () => import("./commands/schema.js"),
  },
  {
    name: "doctor",
    summary: "check Node.js, Pulumi, Docker, the state backend and which backends have credentials",
    usage: "dstack doctor [--backend-url URL] [--json]",
    help: [
      ["--backend-url URL", "check this Pulumi state backend instead of the configured one"],
      ["--json", "print the checks as JSON on stdout"],
    ],
    options: { json: { type: "boolean" }, "backend-url": { type: "string" } },
    load: () => import("./commands/doctor.js"),
  },
];
