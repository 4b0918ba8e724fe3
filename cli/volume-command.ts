// `dstack volume list | delete`, declared as data (applying a volume is `dstack apply -f FILE`).
import type { CommandSpec } from "./command.js";

export const VOLUME_COMMAND: CommandSpec = {
  name: "volume",
  summary: "list network volumes (dstack volume list), or delete one (dstack volume delete NAME)",
  usage: "dstack volume list [--json] | delete NAME [-y]",
  help: [
    [
      "list",
      "the volumes `dstack apply -f volume.dstack.yml` created or registered, and the runs using them",
    ],
    [
      "delete NAME",
      "destroy the volume's stack and its data (refused while a run uses it); a registered volume is only forgotten",
    ],
    ["-y, --yes", "do not ask for confirmation"],
    ["--json", "machine-readable output"],
  ],
  options: { yes: { type: "boolean", short: "y" }, json: { type: "boolean" } },
  positionals: true,
  load: () => import("./commands/volume.js"),
};
