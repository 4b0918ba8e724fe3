// Shared by commands that take -f FILE: compile it with profiles, -e and overrides, print diagnostics.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { CompileResult } from "../src/compiler/compile.js";
import { formatDiagnostic } from "../src/compiler/diagnostics.js";
import { compileFile, ConfigFileError } from "../src/compiler/load.js";
import { UserError, usageError } from "../src/errors.js";
import type { CommandContext, Values } from "./command.js";
import { overridesFrom } from "./flags.js";
import { paint } from "./output.js";

const DEFAULT_FILE = ".dstack.yml";

/** Where `apply` keeps its positional run arguments among the flags (the background retrying gets them too). */
export const RUN_ARGS = "run-args";

export function configPath(ctx: CommandContext, values: Values): string {
  if (typeof values.file === "string") return values.file;
  if (existsSync(join(ctx.cwd, DEFAULT_FILE))) return DEFAULT_FILE;
  throw usageError(
    `no configuration given and no ${DEFAULT_FILE} here`,
    "pass -f FILE, e.g. dstack validate -f examples/.dstack.yml",
  );
}

export function compileFromFlags(
  ctx: CommandContext,
  values: Values,
): { file: string; result: CompileResult } {
  const spotFlags = ["spot", "on-demand", "spot-auto", "spot-policy"].filter((f) => values[f] !== undefined);
  if (spotFlags.length > 1)
    throw usageError(`--${spotFlags.join(" and --")} contradict each other`, "give one spot policy");
  if (values.profile !== undefined && values["no-profile"] === true)
    throw usageError("--profile and --no-profile contradict each other");
  if (values.retry === true && values["no-retry"] === true)
    throw usageError("--retry and --no-retry contradict each other");
  const file = configPath(ctx, values);
  try {
    const result = compileFile(file, {
      cwd: ctx.cwd,
      home: ctx.home,
      profile: typeof values.profile === "string" ? values.profile : undefined,
      noProfile: values["no-profile"] === true,
      overrides: overridesFrom(values),
      env: { cli: Array.isArray(values.env) ? values.env.map(String) : [], process: ctx.env },
      // `dstack apply -f FILE -- ARGS`: ${{ run.args }} in a task's or service's commands.
      runArgs: Array.isArray(values[RUN_ARGS]) ? values[RUN_ARGS].map(String) : [],
    });
    printDiagnostics(ctx, result);
    return { file, result };
  } catch (error) {
    if (error instanceof ConfigFileError) throw new UserError("config-file", error.message);
    throw error;
  }
}

function printDiagnostics(ctx: CommandContext, result: CompileResult): void {
  for (const d of result.diagnostics) {
    const text = formatDiagnostic(d);
    const severity =
      d.severity === "error" ? paint(ctx.out, "red", "error") : paint(ctx.out, "yellow", "warning");
    ctx.out.error(text.replace(`${d.severity}:`, `${severity}:`));
  }
}
