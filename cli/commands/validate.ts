// `dstack validate`: diagnostics, and the normalized configuration (with --json, as JSON on stdout).
import { formatServiceLines } from "../../src/compiler/format-service.js";
import { formatResources } from "../../src/compiler/format.js";
import { formatDuration } from "../../src/compiler/grammar/units.js";
import type { Spec } from "../../src/compiler/spec.js";
import type { CommandContext, Values } from "../command.js";
import { compileFromFlags } from "../compile-config.js";

export async function run(ctx: CommandContext, values: Values): Promise<number> {
  const { file, result } = compileFromFlags(ctx, values);
  const errors = result.diagnostics.filter((d) => d.severity === "error").length;
  const warnings = result.diagnostics.length - errors;
  if (values.json === true) {
    if (result.spec !== null) ctx.out.json({ ...result.spec, profile: result.profile?.name ?? null });
    else ctx.out.json({ valid: false, diagnostics: result.diagnostics });
  } else if (result.spec !== null) {
    ctx.out.print(summary(file, result.spec, result.profile?.name ?? null, warnings));
  } else {
    ctx.out.error(
      `${file}: ${errors} error${errors === 1 ? "" : "s"}${warnings > 0 ? `, ${warnings} warning${warnings === 1 ? "" : "s"}` : ""}`,
    );
  }
  return Promise.resolve(errors > 0 ? 1 : 0);
}

function summary(file: string, spec: Spec, profile: string | null, warnings: number): string {
  const lines = [
    `${file}: valid ${spec.type}${spec.name === null ? "" : ` "${spec.name}"`}${warnings > 0 ? ` (${warnings} warning${warnings === 1 ? "" : "s"})` : ""}`,
  ];
  if (profile !== null) lines.push(`  profile:    ${profile}`);
  if (spec.type === "volume") {
    lines.push(
      `  backend:    ${spec.backend} ${spec.region}`,
      `  size:       ${spec.size === null ? spec.volume_id : `${spec.size}GB`}`,
    );
    return lines.join("\n");
  }
  if (spec.type === "service") lines.push(...formatServiceLines(spec));
  if (spec.resources !== null && !(spec.type === "service" && spec.groups !== null))
    lines.push(`  resources:  ${formatResources(spec.resources)}`);
  else if (spec.type === "fleet" && spec.ssh_config === null)
    lines.push("  resources:  any instance (none written)");
  lines.push(
    `  spot:       ${spec.spot_policy}${spec.max_price === null ? "" : `, max $${spec.max_price}/h`}`,
  );
  if (spec.retry !== null)
    lines.push(`  retry:      ${spec.retry.on_events.join(", ")} for ${formatDuration(spec.retry.duration)}`);
  if (spec.type !== "fleet") {
    lines.push(
      `  durations:  max ${formatDuration(spec.max_duration)}, idle ${formatDuration(spec.idle_duration)}${spec.inactivity_duration === null ? "" : `, inactivity ${formatDuration(spec.inactivity_duration)}`}`,
    );
  }
  return lines.join("\n");
}
