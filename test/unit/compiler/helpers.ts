import { compile, type CompileInput, type CompileResult } from "../../../src/compiler/compile.js";
import type { Diagnostic } from "../../../src/compiler/diagnostics.js";

export function run(text: string, extra: Partial<CompileInput> = {}): CompileResult {
  return compile({ file: "x.dstack.yml", text, ...extra });
}

export function errors(result: CompileResult): Diagnostic[] {
  return result.diagnostics.filter((d) => d.severity === "error");
}

export function warnings(result: CompileResult): Diagnostic[] {
  return result.diagnostics.filter((d) => d.severity === "warning");
}

/** The one error expected, as `path code line:col`. */
export function errorAt(result: CompileResult): string[] {
  return errors(result).map((d) => `${d.path} ${d.code} ${d.position?.line}:${d.position?.col}`);
}

/** The spec as plain JSON (secrets redacted), for deep comparisons. */
export function json(result: CompileResult): Record<string, unknown> {
  if (result.spec === null)
    throw new Error(`expected a spec, got: ${result.diagnostics.map((d) => d.message).join("; ")}`);
  return JSON.parse(JSON.stringify(result.spec)) as Record<string, unknown>;
}
