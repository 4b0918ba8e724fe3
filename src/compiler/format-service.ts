// Human-readable lines of a normalized service for `dstack validate`: how it is reached and how many
// replicas run, per replica group when it has them.
import { formatResources } from "./format.js";
import { formatRange } from "./grammar/range.js";
import type { ScalingSpec } from "./spec-service.js";
import type { ServiceSpec } from "./spec.js";

const scaled = (s: ScalingSpec | null): string => (s === null ? "" : `, scaling at ${s.target} rps`);

export function formatServiceLines(spec: ServiceSpec): string[] {
  const model = spec.model === null ? "" : `, model ${spec.model.name} (${spec.model.format})`;
  const lines = [`  port:       ${spec.port}${model}`];
  if (spec.groups === null) {
    lines.push(`  replicas:   ${formatRange(spec.replicas ?? { min: 1, max: 1 })}${scaled(spec.scaling)}`);
  } else {
    for (const g of spec.groups)
      lines.push(
        `  group ${g.name}:${" ".repeat(Math.max(1, 5 - g.name.length))}${formatRange(g.replicas)} x ${formatResources(g.resources)}${scaled(g.scaling)}${g.router === null ? "" : `, router ${g.router.type}`}`,
      );
  }
  if (spec.probes.length > 0)
    lines.push(`  probes:     ${spec.probes.map((p) => `${p.method.toUpperCase()} ${p.url}`).join(", ")}`);
  return lines;
}
