// Environment variables: declared in the file, overridden by `-e`, and completed from the process
// environment. A value that does not come from the file is treated as a secret and never printed.
import type { DiagnosticBag, Path } from "../diagnostics.js";
import { parseEnvAssignment, parseEnvEntry, type EnvDeclaration } from "../grammar/env.js";
import { Secret, type MaybeSecret } from "../secret.js";

export function declareEnv(raw: unknown, bag: DiagnosticBag, base: Path): EnvDeclaration[] {
  if (raw === undefined || raw === null || bag.hasErrorAt(base)) return [];
  const entries: [string | number, unknown][] = Array.isArray(raw)
    ? raw.map((v, i) => [i, v])
    : Object.entries(raw);
  const declarations: EnvDeclaration[] = [];
  const seen = new Map<string, string | number>();
  for (const [key, value] of entries) {
    const parsed = parseEnvEntry(value, key);
    if (!parsed.ok) {
      bag.error({
        code: "invalid-value",
        path: [...base, key],
        message: parsed.message,
        hint: parsed.hint,
        atKey: typeof key === "string",
      });
      continue;
    }
    const previous = seen.get(parsed.value.name);
    if (previous !== undefined) {
      bag.error({
        code: "duplicate",
        path: [...base, key],
        message: `${parsed.value.name} is set twice`,
        hint: "keep one entry",
      });
      continue;
    }
    seen.set(parsed.value.name, key);
    declarations.push(parsed.value);
  }
  return declarations;
}

export interface EnvSources {
  /** `-e NAME=VALUE` / `-e NAME` flags, in order. */
  cli: readonly string[];
  process: Readonly<Record<string, string | undefined>>;
}

export function resolveEnv(
  declarations: readonly EnvDeclaration[],
  sources: EnvSources,
  fileBag: DiagnosticBag,
  cliBag: DiagnosticBag,
  base: Path,
): Record<string, MaybeSecret> {
  const fromCli = new Map<string, string>();
  for (const text of sources.cli) {
    const parsed = parseEnvAssignment(text);
    if (!parsed.ok) {
      cliBag.error({
        code: "invalid-value",
        path: ["-e"],
        message: `${JSON.stringify(text)}: ${parsed.message}`,
        hint: "write -e NAME=VALUE",
      });
      continue;
    }
    const value = parsed.value.value ?? sources.process[parsed.value.name];
    if (value === undefined) {
      cliBag.error({
        code: "missing-env",
        path: ["-e"],
        message: `-e ${parsed.value.name} has no value and ${parsed.value.name} is not set in the environment`,
        hint: `write -e ${parsed.value.name}=VALUE or export ${parsed.value.name}`,
      });
      continue;
    }
    fromCli.set(parsed.value.name, value);
  }

  const env: Record<string, MaybeSecret> = {};
  for (const d of declarations) {
    const cli = fromCli.get(d.name);
    if (cli !== undefined) env[d.name] = new Secret(cli);
    else if (d.value !== null) env[d.name] = d.value;
    else if (sources.process[d.name] !== undefined) env[d.name] = new Secret(sources.process[d.name]!);
    else {
      fileBag.error({
        code: "missing-env",
        path: [...base, d.key],
        atKey: typeof d.key === "string",
        message: `${d.name} has no value`,
        hint: `pass -e ${d.name}=VALUE or set ${d.name} in the environment`,
      });
    }
  }
  for (const [name, value] of fromCli) if (!(name in env)) env[name] = new Secret(value);
  return env;
}
