// A structured infrastructure diff from Pulumi engine events (DESIGN.md style 7: pure planner, thin
// executor). The engine reports one `resourcePreEvent` per step; we keep the ones that change something.
import type { EngineEvent, OpType } from "@pulumi/pulumi/automation/index.js";

export type PlanOp = "create" | "update" | "replace" | "delete";

export interface PlanStep {
  op: PlanOp;
  /** Pulumi type token, e.g. `aws:ec2/instance:Instance` or `pulumi-nodejs:dynamic:Resource`. */
  type: string;
  /** Logical name, the last URN segment. */
  name: string;
  urn: string;
  /** Properties that differ, by name. */
  changed: string[];
  /** Properties that force the replacement (only for `replace`). */
  replaceReasons: string[];
}

export interface Plan {
  steps: PlanStep[];
  /** Resources left as they are. */
  unchanged: number;
}

const OPS: Partial<Record<OpType, PlanOp>> = {
  create: "create",
  update: "update",
  replace: "replace",
  "create-replacement": "replace",
  delete: "delete",
};

/** The last segment of a URN: `urn:pulumi:stack::project::type::name` -> `name`. */
export function nameOfUrn(urn: string): string {
  const parts = urn.split("::");
  return parts[parts.length - 1] ?? urn;
}

export function planFromEvents(events: readonly EngineEvent[]): Plan {
  const steps = new Map<string, PlanStep>();
  let unchanged = 0;
  for (const event of events) {
    const meta = event.resourcePreEvent?.metadata;
    if (meta === undefined) continue;
    if (meta.type === "pulumi:pulumi:Stack" || meta.type.startsWith("pulumi:providers:")) continue;
    const op = OPS[meta.op];
    if (op === undefined) {
      if (meta.op === "same") unchanged++;
      continue;
    }
    // A replacement shows as create-replacement + replace + delete-replaced: keep one step per URN.
    const existing = steps.get(meta.urn);
    const changed = [...new Set([...(meta.diffs ?? []), ...Object.keys(meta.detailedDiff ?? {})])].sort();
    const step: PlanStep = {
      op: existing?.op === "replace" ? "replace" : op,
      type: meta.type,
      name: nameOfUrn(meta.urn),
      urn: meta.urn,
      changed: op === "create" || op === "delete" ? [] : changed,
      replaceReasons: [
        ...new Set([...(existing?.replaceReasons ?? []), ...(op === "replace" ? (meta.keys ?? []) : [])]),
      ].sort(),
    };
    steps.set(meta.urn, step);
  }
  return { steps: [...steps.values()], unchanged };
}

const SYMBOL: Record<PlanOp, string> = { create: "+", update: "~", replace: "+-", delete: "-" };

/** A readable plan, one line per step, with what changes and what forces a replacement. */
export function renderPlan(plan: Plan): string {
  if (plan.steps.length === 0) return `No infrastructure changes (${plan.unchanged} unchanged).`;
  const lines = plan.steps.map((s) => {
    const detail =
      s.op === "replace" && s.replaceReasons.length > 0
        ? ` (replace forced by ${s.replaceReasons.join(", ")})`
        : s.changed.length > 0
          ? ` (${s.changed.join(", ")})`
          : "";
    return `  ${SYMBOL[s.op].padEnd(2)} ${s.op.padEnd(7)} ${s.name}  ${s.type}${detail}`;
  });
  const counts = (["create", "update", "replace", "delete"] as const)
    .map((op) => [op, plan.steps.filter((s) => s.op === op).length] as const)
    .filter(([, n]) => n > 0)
    .map(([op, n]) => `${n} to ${op}`);
  return [
    ...lines,
    `  ${counts.join(", ")}${plan.unchanged > 0 ? `, ${plan.unchanged} unchanged` : ""}`,
  ].join("\n");
}
