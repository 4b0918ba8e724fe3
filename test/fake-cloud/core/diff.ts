// The structured diff of a resource's inputs: which properties changed, as engine property paths, and
// whether each change can be made in place or forces a replacement. Returned as a detailed diff, so
// the engine shows exactly these paths and kinds (update vs replace) in previews and events.
import { deepEqual, isObject, META_KEYS, pathStep, topKey, type Json, type JsonObject } from "./values.js";

export type ChangeKind = "add" | "delete" | "update";

export interface PropertyChange {
  path: string;
  kind: ChangeKind;
  replace: boolean;
}

export interface InputDiff {
  changes: PropertyChange[];
  /** Top-level properties that force a replacement. */
  replaces: string[];
  /** Top-level properties that changed. */
  changedKeys: string[];
}

/**
 * A replace rule is a property path; it matches a change at that path or below it (`bootDisk` matches
 * `bootDisk.initializeParams.image`) and a change of an ancestor that contains it (adding `scheduling`
 * as a whole matches `scheduling.provisioningModel`, when the added value sets it).
 */
export function forcesReplace(
  path: string,
  rules: readonly string[],
  olds: JsonObject,
  news: JsonObject,
): boolean {
  const norm = (p: string): string => p.replace(/\[\d+\]/g, "[]");
  const p = norm(path);
  return rules.some((rule) => {
    const r = norm(rule);
    if (p === r || p.startsWith(`${r}.`) || p.startsWith(`${r}[`)) return true;
    if (r.startsWith(`${p}.`) || r.startsWith(`${p}[`)) {
      const rest = r.slice(p.length);
      return !deepEqual(pick(valueAtLoose(olds, path), rest), pick(valueAtLoose(news, path), rest));
    }
    return false;
  });
}

function valueAtLoose(root: JsonObject, path: string): Json | undefined {
  let cur: Json | undefined = root;
  for (const m of path.matchAll(/([^.[\]"]+)|\[(\d+)\]|\["([^"]*)"\]/g)) {
    const key = m[2] !== undefined ? Number(m[2]) : (m[3] ?? m[1] ?? "");
    if (typeof key === "number") cur = Array.isArray(cur) ? cur[key] : undefined;
    else cur = isObject(cur) ? cur[key] : undefined;
  }
  return cur;
}

/** The value at a normalized rest path (`.a.b` or `[].a`: every element). */
function pick(value: Json | undefined, rest: string): Json | undefined {
  const m = /^(?:\.([^.[]+)|\[\])(.*)$/.exec(rest);
  if (m === null) return value;
  if (m[1] !== undefined) return pick(isObject(value) ? value[m[1]] : undefined, m[2] ?? "");
  return Array.isArray(value) ? value.map((v) => pick(v, m[2] ?? "") ?? null) : undefined;
}

function walk(
  olds: Json | undefined,
  news: Json | undefined,
  path: string,
  out: Omit<PropertyChange, "replace">[],
): void {
  if (deepEqual(olds, news)) return;
  if (olds === undefined || olds === null) return void out.push({ path, kind: "add" });
  if (news === undefined || news === null) return void out.push({ path, kind: "delete" });
  if (isObject(olds) && isObject(news)) {
    for (const key of new Set([...Object.keys(olds), ...Object.keys(news)]))
      walk(olds[key], news[key], pathStep(path, key), out);
    return;
  }
  if (Array.isArray(olds) && Array.isArray(news)) {
    for (let i = 0; i < Math.max(olds.length, news.length); i++)
      walk(olds[i], news[i], pathStep(path, i), out);
    return;
  }
  out.push({ path, kind: "update" });
}

export function diffInputs(olds: JsonObject, news: JsonObject, replaceRules: readonly string[]): InputDiff {
  const raw: Omit<PropertyChange, "replace">[] = [];
  for (const key of new Set([...Object.keys(olds), ...Object.keys(news)])) {
    if (!META_KEYS.has(key)) walk(olds[key], news[key], pathStep("", key), raw);
  }
  const changes = raw.map((c) => ({ ...c, replace: forcesReplace(c.path, replaceRules, olds, news) }));
  const uniq = (xs: string[]): string[] => [...new Set(xs)];
  return {
    changes,
    replaces: uniq(changes.filter((c) => c.replace).map((c) => topKey(c.path))),
    changedKeys: uniq(changes.map((c) => topKey(c.path))),
  };
}
