// Help texts, built from the command declarations.
import type { CommandSpec } from "./command.js";

export const VERSION = "0.1.0";

export function mainHelp(all: readonly CommandSpec[]): string {
  const commands = all.filter((c) => c.hidden !== true);
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "dstack: GPU dev environments, tasks, fleets and volumes from .dstack.yml, as Pulumi stacks",
    "",
    "Usage: dstack COMMAND [options]",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Options:",
    "  -h, --help     show help (also: dstack COMMAND --help)",
    "  -v, --version  show the version",
    "",
  ].join("\n");
}

export function commandHelp(command: CommandSpec): string {
  const width = Math.max(0, ...command.help.map(([flags]) => flags.length));
  return [
    `${command.summary[0]!.toUpperCase()}${command.summary.slice(1)}.`,
    "",
    `Usage: ${command.usage}`,
    "",
    "Options:",
    ...command.help.map(([flags, text]) => `  ${flags.padEnd(width)}  ${text}`),
    `  ${"-h, --help".padEnd(width)}  show this help`,
    "",
  ].join("\n");
}
