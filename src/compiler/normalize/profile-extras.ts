// The profile parameters dstack added after the basics, of one layer (profile, configuration): the
// utilization policy, the cron schedule, multi-node startup and stop rules, instance selectors and tags.
// Each is checked with dstack's own rules (core/models/profiles.py, utils/tags.py).
import type { DiagnosticBag, Path } from "../diagnostics.js";
import { parseCron } from "../grammar/cron.js";
import { parseDuration } from "../grammar/units.js";
import type { InstanceSelector, StartupOrder, StopCriteria, UtilizationPolicySpec } from "../spec.js";
import { asObject, parseField, stringOf, type RawObject } from "./field.js";

export interface ProfileExtrasLayer {
  utilization_policy?: UtilizationPolicySpec;
  schedule?: { cron: string[] };
  startup_order?: StartupOrder;
  stop_criteria?: StopCriteria;
  instances?: InstanceSelector[];
  tags?: Record<string, string>;
}

/** dstack's MIN_UTILIZATION_TIME_WINDOW. */
const MIN_WINDOW = 300;
const TAG_KEY = /^[_\-a-zA-Z0-9]{1,60}$/;
const TAG_VALUE = /^[a-zA-Z0-9 .:/=_\-+@]{0,256}$/;

export function normalizeProfileExtras(raw: RawObject, bag: DiagnosticBag, base: Path): ProfileExtrasLayer {
  const at = (...rest: (string | number)[]): Path => [...base, ...rest];
  const layer: ProfileExtrasLayer = {};
  const utilization = utilizationPolicy(raw.utilization_policy, bag, at("utilization_policy"));
  if (utilization !== undefined) layer.utilization_policy = utilization;
  const schedule = scheduleOf(raw.schedule, bag, at("schedule", "cron"));
  if (schedule !== undefined) layer.schedule = schedule;
  if (typeof raw.startup_order === "string" && !bag.hasErrorAt(at("startup_order")))
    layer.startup_order = raw.startup_order as StartupOrder;
  if (typeof raw.stop_criteria === "string" && !bag.hasErrorAt(at("stop_criteria")))
    layer.stop_criteria = raw.stop_criteria as StopCriteria;
  const instances = instancesOf(raw.instances, bag, at("instances"));
  if (instances !== undefined) layer.instances = instances;
  const tags = tagsOf(raw.tags, bag, at("tags"));
  if (tags !== undefined) layer.tags = tags;
  return layer;
}

function utilizationPolicy(raw: unknown, bag: DiagnosticBag, path: Path): UtilizationPolicySpec | undefined {
  if (raw === undefined || raw === null || bag.hasErrorAt(path)) return undefined;
  const obj = asObject(raw);
  const window = parseField(bag, [...path, "time_window"], obj.time_window, (r) => parseDuration(r, false));
  if (typeof window !== "number" || typeof obj.min_gpu_utilization !== "number") return undefined;
  if (window < MIN_WINDOW) {
    bag.error({
      code: "invalid-value",
      path: [...path, "time_window"],
      message: `${window}s is shorter than the minimum time window, 5m`,
      hint: "write time_window: 5m or longer",
    });
    return undefined;
  }
  return { min_gpu_utilization: obj.min_gpu_utilization, time_window: window };
}

function scheduleOf(raw: unknown, bag: DiagnosticBag, path: Path): { cron: string[] } | undefined {
  if (raw === undefined || raw === null || bag.hasErrorAt(path)) return undefined;
  const cron = asObject(raw).cron;
  const list = typeof cron === "string" ? [cron] : Array.isArray(cron) ? (cron as string[]) : [];
  if (list.length === 0) {
    bag.error({
      code: "invalid-value",
      path,
      message: "no cron expression: at least one is needed",
      hint: 'e.g. cron: "0 8 * * mon-fri"',
    });
    return undefined;
  }
  const parsed = list.map((c, i) =>
    parseField(bag, typeof cron === "string" ? path : [...path, i], c, (r) => parseCron(String(r))),
  );
  return parsed.every((c) => c !== undefined) ? { cron: parsed } : undefined;
}

function instancesOf(raw: unknown, bag: DiagnosticBag, path: Path): InstanceSelector[] | undefined {
  if (!Array.isArray(raw) || bag.hasErrorAt(path)) return undefined;
  if (raw.length === 0) {
    bag.error({
      code: "invalid-value",
      path,
      message: "the list is empty: name at least one instance",
      hint: "remove instances to allow any instance",
    });
    return undefined;
  }
  const out: InstanceSelector[] = [];
  raw.forEach((item, i) => {
    const selector = instanceOf(item, bag, [...path, i]);
    if (selector !== undefined) out.push(selector);
  });
  return out.length === raw.length ? out : undefined;
}

function instanceOf(item: unknown, bag: DiagnosticBag, path: Path): InstanceSelector | undefined {
  const obj = asObject(item);
  const text = stringOf(item) ?? stringOf(obj.name) ?? stringOf(obj.hostname);
  if (text !== undefined && text.length === 0) {
    bag.error({ code: "invalid-value", path, message: "an empty name", hint: "write the instance's name" });
    return undefined;
  }
  if (typeof item === "string") return { name: item };
  if (typeof obj.name === "string") return { name: obj.name };
  if (typeof obj.hostname === "string") return { hostname: obj.hostname };
  const fleet = fleetReference(obj.fleet);
  if (fleet === undefined) {
    bag.error({
      code: "invalid-value",
      path: [...path, "fleet"],
      message: `${JSON.stringify(obj.fleet)} is not a fleet reference`,
      hint: "write the fleet name, or project/name",
    });
    return undefined;
  }
  const instance = obj.instance as number;
  if (instance < 0) {
    bag.error({
      code: "invalid-value",
      path: [...path, "instance"],
      message: `${instance} is not an instance number`,
      hint: "instance numbers start at 0",
    });
    return undefined;
  }
  return { fleet, instance };
}

/** dstack's EntityReference: `name`, `project/name`, or {project, name}. */
function fleetReference(raw: unknown): { project: string | null; name: string } | undefined {
  if (typeof raw === "string") {
    const parts = raw.split("/");
    if (parts.some((p) => p === "") || parts.length > 2) return undefined;
    return parts.length === 1 ? { project: null, name: parts[0]! } : { project: parts[0]!, name: parts[1]! };
  }
  const obj = asObject(raw);
  if (typeof obj.name !== "string") return undefined;
  return { project: stringOf(obj.project) ?? null, name: obj.name };
}

function tagsOf(raw: unknown, bag: DiagnosticBag, path: Path): Record<string, string> | undefined {
  if (raw === undefined || raw === null || bag.hasErrorAt(path)) return undefined;
  const tags: Record<string, string> = {};
  let ok = true;
  for (const [key, value] of Object.entries(asObject(raw))) {
    // YAML numbers become text, as dstack coerces them.
    const text = String(value);
    if (!TAG_KEY.test(key)) {
      ok = false;
      bag.error({
        code: "invalid-value",
        path: [...path, key],
        atKey: true,
        message: `${JSON.stringify(key)} is not a tag key: 1 to 60 letters, digits, _ or -`,
        hint: key.length > 0 ? `e.g. ${key.replace(/[^_\-a-zA-Z0-9]+/g, "-").slice(0, 60)}` : undefined,
      });
    } else if (!TAG_VALUE.test(text)) {
      ok = false;
      bag.error({
        code: "invalid-value",
        path: [...path, key],
        message: `${JSON.stringify(text)} is not a tag value: up to 256 letters, digits, spaces and . : / = _ - + @`,
      });
    } else tags[key] = text;
  }
  return ok ? tags : undefined;
}

/** The extras a merged layer has, and only those (so a fleet's merged placement stays as it was). */
export function pickExtras(layer: ProfileExtrasLayer): ProfileExtrasLayer {
  const out: ProfileExtrasLayer = {};
  if (layer.utilization_policy !== undefined) out.utilization_policy = layer.utilization_policy;
  if (layer.schedule !== undefined) out.schedule = layer.schedule;
  if (layer.startup_order !== undefined) out.startup_order = layer.startup_order;
  if (layer.stop_criteria !== undefined) out.stop_criteria = layer.stop_criteria;
  if (layer.instances !== undefined) out.instances = layer.instances;
  if (layer.tags !== undefined) out.tags = layer.tags;
  return out;
}
