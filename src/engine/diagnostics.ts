// What a failed engine operation said, from its structured events: every error diagnostic with the
// resource it is about, and the resources whose operation failed. Messages stay exactly as Pulumi
// gave them (only the trailing newline goes); nothing here reads or classifies their text.
import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";

export interface EngineDiagnostic {
  /** The resource the error is about; absent for the stack's own errors (a program's exception). */
  urn?: string;
  /** The resource's type token, e.g. `aws:ec2/instance:Instance`. */
  type?: string;
  /** The resource's name in the program. */
  name?: string;
  /** The step that failed (`create`, `update`, `delete`, ...), when the engine reported one. */
  op?: string;
  /** The provider's (or the program's) message as Pulumi gave it; empty when a step failed silently. */
  message: string;
}

/** `urn:pulumi:<stack>::<project>::<parent$type>::<name>`: the type and name of the resource. */
export function urnParts(urn: string): { type: string; name: string } | undefined {
  const parts = urn.split("::");
  if (parts.length < 4 || !parts[0]!.startsWith("urn:pulumi:")) return undefined;
  const qualified = parts[2]!;
  return { type: qualified.slice(qualified.lastIndexOf("$") + 1), name: parts.slice(3).join("::") };
}

function about(urn: string | undefined): Pick<EngineDiagnostic, "urn" | "type" | "name"> {
  if (urn === undefined || urn === "") return {};
  const parts = urnParts(urn);
  return parts === undefined ? { urn } : { urn, ...parts };
}

/**
 * The error diagnostics of an operation, in the engine's order, each once (the engine repeats a
 * program's exception), with the failed step of their resource. A resource whose step failed without
 * any diagnostic is listed with an empty message.
 */
export function diagnosticsFromEvents(events: readonly EngineEvent[]): EngineDiagnostic[] {
  const found: EngineDiagnostic[] = [];
  const failedOps = new Map<string, { type: string; op: string }>();
  for (const event of events) {
    const d = event.diagnosticEvent;
    if (d !== undefined && d.severity === "error") {
      const next: EngineDiagnostic = { ...about(d.urn), message: d.message.replace(/\n+$/, "") };
      if (!found.some((f) => f.urn === next.urn && f.message === next.message)) found.push(next);
    }
    const failed = event.resOpFailedEvent?.metadata;
    if (failed !== undefined) failedOps.set(failed.urn, { type: failed.type, op: failed.op });
  }
  for (const [urn, step] of failedOps) {
    const own = found.filter((f) => f.urn === urn);
    for (const f of own) {
      f.op = step.op;
      f.type ??= step.type;
    }
    if (own.length === 0) found.push({ ...about(urn), type: step.type, op: step.op, message: "" });
  }
  return found;
}

const STACK_TYPE = "pulumi:pulumi:Stack";

/** The diagnostics about resources (not the stack itself): what the providers said. */
export const resourceDiagnostics = (all: readonly EngineDiagnostic[]): EngineDiagnostic[] =>
  all.filter((d) => d.urn !== undefined && d.type !== STACK_TYPE);
