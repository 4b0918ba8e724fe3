// `dstack doctor`: what this machine has for dstack (Node.js, Pulumi, Docker, state backend) and which
// backends have credentials. Exit 1 only when an error-level check fails; --json prints only the report.
import type { Check, CheckStatus, DoctorReport } from "../../src/doctor/check.js";
import { countByStatus } from "../../src/doctor/check.js";
import { systemExec } from "../../src/doctor/exec.js";
import { runDoctor } from "../../src/doctor/run-doctor.js";
import type { CommandContext, Values } from "../command.js";
import { paint, type Output } from "../output.js";

const MARKERS: Record<CheckStatus, string> = { ok: "✓", warning: "!", error: "✗", missing: "-" };

function marker(out: Output, status: CheckStatus): string {
  const m = MARKERS[status];
  if (status === "error") return paint(out, "red", m);
  if (status === "warning") return paint(out, "yellow", m);
  if (status === "missing") return paint(out, "dim", m);
  return m;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** One line per check (marker, name, detail) and its hint below when it needs attention; then a summary. */
export function renderReport(report: DoctorReport, out: Output): string {
  const width = Math.max(...report.checks.map((c) => c.name.length));
  const lines: string[] = [];
  for (const c of report.checks) {
    lines.push(`${marker(out, c.status)} ${c.name.padEnd(width)}  ${c.detail}`);
    if (c.hint !== null && c.status !== "ok")
      lines.push(`  ${" ".repeat(width)}  ${paint(out, "dim", `→ ${c.hint}`)}`);
  }
  lines.push("", summary(report.checks));
  return lines.join("\n");
}

export function summary(checks: readonly Check[]): string {
  const n = countByStatus(checks);
  const counts = `${n.ok} ok, ${plural(n.warning, "warning")}, ${n.missing} missing`;
  return n.error === 0
    ? `${counts}, no errors.`
    : `${counts}, ${plural(n.error, "error")}: fix the ✗ lines above.`;
}

export async function run(ctx: CommandContext, values: Values): Promise<number> {
  const backendUrl = typeof values["backend-url"] === "string" ? values["backend-url"] : undefined;
  const report = runDoctor({
    env: ctx.env,
    home: ctx.home,
    exec: systemExec(ctx.env),
    ...(backendUrl === undefined ? {} : { backendUrl }),
  });
  if (values.json === true) ctx.out.json(report);
  else ctx.out.print(renderReport(report, ctx.out));
  return Promise.resolve(report.ok ? 0 : 1);
}
