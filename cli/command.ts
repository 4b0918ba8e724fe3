// Commands are declared as data (DESIGN.md style 8): a name, a summary, their flags, and a loader that
// imports the implementation only when that command runs, so `dstack --help` loads nothing heavy.
import type { ParseArgsConfig } from "node:util";
import type { IoHost } from "../src/toolkit/io-host.js";
import type { Output } from "./output.js";

export type Options = NonNullable<ParseArgsConfig["options"]>;
export type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CommandContext {
  /** The command's own rendering: results, its machine document, diagnostics. */
  out: Output;
  /** What the library says while it works (see cli/io-host.ts); -y already answers its questions. */
  io: IoHost;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  home: string;
  signal: AbortSignal;
}

export interface CommandModule {
  run(ctx: CommandContext, values: Values, positionals: string[]): Promise<number>;
}

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  /** Flag descriptions for `dstack CMD --help`, in order. */
  help: readonly [flags: string, text: string][];
  options: Options;
  positionals?: boolean;
  /** Internal commands are left out of `dstack --help`. */
  hidden?: boolean;
  /** Runs detached with its output in a log file: every progress line is stamped with the time. */
  background?: boolean;
  load(): Promise<CommandModule>;
}
