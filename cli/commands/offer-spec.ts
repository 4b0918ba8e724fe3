// The requirements of `dstack offer`: from -f FILE like every other command (flags override it), or,
// without -f, from a minimal in-memory task compiled with the same flags, so the same grammar, defaults
// and diagnostics apply. That task mirrors dstack's own `offer` (an image is set so the GPU vendor is
// not narrowed to NVIDIA) and, unless a flag says otherwise, shows spot and on-demand offers both.
import { join } from "node:path";
import { compile, type CompileResult } from "../../src/compiler/compile.js";
import { formatDiagnostic } from "../../src/compiler/diagnostics.js";
import { findProfileFiles, readConfigText } from "../../src/compiler/load.js";
import type { FleetSpec, RunSpec } from "../../src/compiler/spec.js";
import { UserError, usageError } from "../../src/errors.js";
import type { CommandContext, Values } from "../command.js";
import { compileFromFlags } from "../compile-config.js";
import { overridesFrom } from "../flags.js";
import { paint } from "../output.js";

export const OFFER_SOURCE = "dstack offer";
const SPOT_FLAGS = ["spot", "on-demand", "spot-auto", "spot-policy"];

export function offerSpec(ctx: CommandContext, values: Values): RunSpec | FleetSpec | null {
  const result =
    typeof values.file === "string" ? compileFromFlags(ctx, values).result : compileFlags(ctx, values);
  const spec = result.spec;
  if (spec === null) return null;
  if (spec.type === "volume")
    throw new UserError(
      "offer-volume",
      "a volume configuration has no instance offers",
      "pass a run or fleet configuration",
    );
  if (spec.type === "fleet" && spec.ssh_config !== null)
    throw new UserError(
      "offer-ssh-fleet",
      "an SSH fleet runs on the hosts it lists, not on offers",
      "pass a cloud fleet or a run configuration",
    );
  return spec;
}

function compileFlags(ctx: CommandContext, values: Values): CompileResult {
  const spotFlags = SPOT_FLAGS.filter((f) => values[f] !== undefined);
  return compileFlagTask(ctx, values, OFFER_SOURCE, [
    // An image, so that the GPU vendor is not narrowed to NVIDIA (as dstack's `offer`).
    "image: scratch",
    ...(spotFlags.length === 0 ? ["spot_policy: auto"] : []),
  ]);
}

/**
 * A minimal in-memory task (`lines` added to it) compiled with the command's flags and the profiles, so
 * that flag-only commands (`offer`, `pool add`) get the grammar, defaults and diagnostics of a file.
 */
export function compileFlagTask(
  ctx: CommandContext,
  values: Values,
  source: string,
  lines: readonly string[],
): CompileResult {
  const spotFlags = SPOT_FLAGS.filter((f) => values[f] !== undefined);
  if (spotFlags.length > 1)
    throw usageError(`--${spotFlags.join(" and --")} contradict each other`, "give one spot policy");
  if (values.profile !== undefined && values["no-profile"] === true)
    throw usageError("--profile and --no-profile contradict each other");
  const noProfile = values["no-profile"] === true;
  const profiles = noProfile
    ? []
    : findProfileFiles(join(ctx.cwd, ".dstack.yml"), ctx.home).map((file) => ({
        file,
        text: readConfigText(file),
      }));
  const text = ["type: task", 'commands: [":"]', ...lines, ""].join("\n");
  const result = compile({
    file: source,
    text,
    profiles,
    profile: typeof values.profile === "string" ? values.profile : undefined,
    noProfile,
    overrides: overridesFrom(values),
    env: { cli: [], process: ctx.env },
  });
  for (const d of result.diagnostics) {
    const label =
      d.severity === "error" ? paint(ctx.out, "red", "error") : paint(ctx.out, "yellow", "warning");
    ctx.out.error(formatDiagnostic(d).replace(`${d.severity}:`, `${label}:`));
  }
  return result;
}
