// `dstack generate`, declared as data (its implementation loads lazily).
import type { CommandSpec } from "./command.js";
import { CONFIG_FLAGS, CONFIG_HELP, OVERRIDE_FLAGS, OVERRIDE_HELP } from "./flags.js";

export const GENERATE_COMMAND: CommandSpec = {
  name: "generate",
  summary: "write a standalone Pulumi project for a configuration's cloud pool and volumes",
  usage:
    "dstack generate -f FILE -o DIR [--stack NAME] [--project NAME] [--ssh-public-key FILE]... [overrides]",
  help: [
    ["-o, --output DIR", "the project folder (created; files dstack did not write are never overwritten)"],
    ["--check", "write nothing; exit 1 when the folder differs from what would be generated (for CI)"],
    ["--stack NAME", "the Pulumi stack whose settings file is written (default: dev)"],
    ["--project NAME", "the dstack project used in names and tags (default: main)"],
    [
      "--ssh-public-key FILE",
      "a public key allowed on the instances (repeatable; default: dstack's own key ~/.dstack/ssh/id_ed25519.pub)",
    ],
    ...CONFIG_HELP,
    ...OVERRIDE_HELP,
  ],
  options: {
    ...CONFIG_FLAGS,
    ...OVERRIDE_FLAGS,
    output: { type: "string", short: "o" },
    stack: { type: "string" },
    check: { type: "boolean" },
    project: { type: "string" },
    "ssh-public-key": { type: "string", multiple: true },
  },
  load: () => import("./commands/generate.js"),
};
