// `env` as a list (`NAME=VALUE`, or `NAME` to take the value from `-e` or the process environment) or a map.
import { fail, ok, type Parsed } from "./result.js";

export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** One declared variable: a value written in the file, or null when it must come from outside. */
export interface EnvDeclaration {
  name: string;
  value: string | null;
  /** Index in the list, or the name in the map: where to point a diagnostic. */
  key: string | number;
}

export function parseEnvEntry(raw: unknown, key: string | number): Parsed<EnvDeclaration> {
  if (typeof key === "string") return mapEntry(key, raw);
  if (typeof raw !== "string")
    return fail("expected NAME=VALUE or NAME", "e.g. HF_HUB_ENABLE_HF_TRANSFER=1 or HF_TOKEN");
  const eq = raw.indexOf("=");
  const name = (eq === -1 ? raw : raw.slice(0, eq)).trim();
  if (!ENV_NAME.test(name)) return badName(name);
  return ok({ name, value: eq === -1 ? null : raw.slice(eq + 1), key });
}

function mapEntry(name: string, raw: unknown): Parsed<EnvDeclaration> {
  if (!ENV_NAME.test(name)) return badName(name);
  if (raw === null || raw === undefined) return ok({ name, value: null, key: name });
  if (typeof raw === "string" || typeof raw === "number" || typeof raw === "boolean")
    return ok({ name, value: String(raw), key: name });
  return fail(`the value of ${name} must be a string, number or boolean`);
}

function badName(name: string): Parsed<never> {
  return fail(
    `"${name}" is not an environment variable name`,
    "use letters, digits and underscores, not starting with a digit",
  );
}

/** `-e NAME=VALUE` from the command line. */
export function parseEnvAssignment(text: string): Parsed<{ name: string; value: string | null }> {
  const eq = text.indexOf("=");
  const name = eq === -1 ? text : text.slice(0, eq);
  if (!ENV_NAME.test(name)) return badName(name);
  return ok({ name, value: eq === -1 ? null : text.slice(eq + 1) });
}
