// EC2's filters as the fake matches them: any listed value matches, with `*` and `?` wildcards; a filter
// name the fake does not model fails loudly rather than matching everything.
import { arr, isObject, str, type Json } from "../core/values.js";

export type Fields = Record<string, string>;

export function glob(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replaceAll("*", ".*")
    .replaceAll("?", ".");
  return new RegExp(`^${escaped}$`);
}

/**
 * True when every filter matches; throws for a filter name not in `fields`. With `tags`, `tag:<key>`
 * filters match the resource's tags too (a resource without the key never matches), as in EC2.
 */
export function matches(
  filters: Json | undefined,
  fields: Fields,
  invoke: string,
  tags?: Readonly<Record<string, string>>,
): boolean {
  return (arr(filters) ?? []).every((f) => {
    const name = isObject(f) ? str(f.name) : undefined;
    if (tags !== undefined && name?.startsWith("tag:") === true) {
      const value = tags[name.slice("tag:".length)];
      const wanted = (isObject(f) ? (arr(f.values) ?? []) : []).filter(
        (v): v is string => typeof v === "string",
      );
      return value !== undefined && wanted.some((v) => glob(v).test(value));
    }
    if (name === undefined || !(name in fields))
      throw new Error(
        `fake-cloud (aws): ${invoke} filter "${String(name)}" is not modelled (modelled: ${Object.keys(fields).join(", ")})`,
      );
    const values = (isObject(f) ? (arr(f.values) ?? []) : []).filter(
      (v): v is string => typeof v === "string",
    );
    return values.some((v) => glob(v).test(fields[name] ?? ""));
  });
}
