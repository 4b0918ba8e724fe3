// Profile parameters (where and how to provision) of one layer: a profile, a configuration, or CLI flags.
// Deprecated spellings are mapped here, with a warning, so later stages see only the current ones.
import type { DiagnosticBag, Path } from "../diagnostics.js";
import { ok, fail, type Parsed } from "../grammar/result.js";
import { parseDuration, formatDuration, type Duration } from "../grammar/units.js";
import { RETRY_EVENTS } from "../schema/fields.js";
import type { BackendName, CreationPolicy, RetrySpec, SpotPolicy } from "../spec.js";
import { checkBackends } from "./backends.js";
import { asObject, boolOf, parseField, stringOf, stringsOf, type RawObject } from "./field.js";
import { normalizeProfileExtras, type ProfileExtrasLayer } from "./profile-extras.js";

export interface PlacementLayer extends ProfileExtrasLayer {
  backends?: BackendName[];
  regions?: string[];
  availability_zones?: string[];
  instance_types?: string[];
  reservation?: string;
  spot_policy?: SpotPolicy;
  max_price?: number;
  retry?: RetrySpec | null;
  max_duration?: Duration;
  stop_duration?: Duration;
  idle_duration?: Duration;
  creation_policy?: CreationPolicy;
  fleets?: string[];
  pool_name?: string;
}

const HOUR = 3600;
const ALL_EVENTS = [...RETRY_EVENTS];

export function normalizePlacement(raw: RawObject, bag: DiagnosticBag, base: Path = []): PlacementLayer {
  const layer: PlacementLayer = normalizeProfileExtras(raw, bag, base);
  const at = (key: string): Path => [...base, key];
  const lists = ["regions", "availability_zones", "instance_types", "fleets"] as const;
  for (const key of lists) {
    const value = stringsOf(raw[key]);
    if (value !== undefined) layer[key] = value;
  }
  const backends = stringsOf(raw.backends);
  if (backends !== undefined && !bag.hasErrorAt(at("backends"))) {
    const checked = checkBackends(backends, bag, at("backends"));
    if (checked !== undefined) layer.backends = checked;
  }
  const reservation = stringOf(raw.reservation);
  if (reservation !== undefined) layer.reservation = reservation;
  const poolName = stringOf(raw.pool_name);
  if (poolName !== undefined) layer.pool_name = poolName;
  if (typeof raw.spot_policy === "string" && !bag.hasErrorAt(at("spot_policy")))
    layer.spot_policy = raw.spot_policy as SpotPolicy;
  if (typeof raw.max_price === "number" && raw.max_price > 0) layer.max_price = raw.max_price;
  if (typeof raw.creation_policy === "string" && !bag.hasErrorAt(at("creation_policy")))
    layer.creation_policy = raw.creation_policy as CreationPolicy;

  for (const key of ["max_duration", "stop_duration"] as const) {
    // dstack reads `true` as "the default", the same as leaving the key out.
    const value = parseField(bag, at(key), raw[key] === true ? undefined : raw[key], (r) =>
      parseDuration(r, true),
    );
    if (value !== undefined) layer[key] = value;
  }
  const idle = idleDuration(raw, bag, base);
  if (idle !== undefined) layer.idle_duration = idle;
  const retry = retryOf(raw, bag, base);
  if (retry !== undefined) layer.retry = retry;
  return layer;
}

/** dstack's idle duration: `true` is the default, -1 (any negative number, also as text) is off. */
export function parseIdleDuration(raw: unknown): Parsed<Duration> {
  if (typeof raw === "number" && Number.isInteger(raw) && raw < 0) return ok("off");
  if (typeof raw === "string" && /^\s*-\d+\s*$/.test(raw)) return ok("off");
  return parseDuration(raw, true);
}

function idleDuration(raw: RawObject, bag: DiagnosticBag, base: Path): Duration | undefined {
  const written = raw.idle_duration === true ? undefined : raw.idle_duration;
  const idle = parseField(bag, [...base, "idle_duration"], written, parseIdleDuration);
  const policy = raw.termination_policy;
  const idleTime = raw.termination_idle_time;
  if (policy !== undefined) {
    bag.warning({
      code: "deprecated",
      path: [...base, "termination_policy"],
      atKey: true,
      message: "deprecated in favour of idle_duration; dstack 0.20 and later reject this key",
      hint:
        idle !== undefined
          ? "idle_duration is set and wins; remove termination_policy"
          : policy === "dont-destroy"
            ? "write idle_duration: off"
            : "write idle_duration: <duration>",
    });
  }
  const legacyTime = parseField(bag, [...base, "termination_idle_time"], idleTime, (r) =>
    parseDuration(r, true),
  );
  if (idleTime !== undefined) {
    bag.warning({
      code: "deprecated",
      path: [...base, "termination_idle_time"],
      atKey: true,
      message: "deprecated in favour of idle_duration; dstack 0.20 and later reject this key",
      hint:
        idle !== undefined
          ? "idle_duration is set and wins; remove termination_idle_time"
          : `write idle_duration: ${legacyTime === undefined ? "<duration>" : formatDuration(legacyTime)}`,
    });
  }
  if (idle !== undefined) return idle;
  if (policy === "dont-destroy") return "off";
  return legacyTime;
}

function retryOf(raw: RawObject, bag: DiagnosticBag, base: Path): RetrySpec | null | undefined {
  const retry = parseField(bag, [...base, "retry"], raw.retry, parseRetry);
  if (raw.retry_policy !== undefined) {
    const legacy = parseField(bag, [...base, "retry_policy"], raw.retry_policy, parseRetryPolicy);
    bag.warning({
      code: "deprecated",
      path: [...base, "retry_policy"],
      atKey: true,
      message: "deprecated in favour of retry; dstack 0.20 and later reject this key",
      hint:
        retry !== undefined
          ? "retry is set and wins; remove retry_policy"
          : legacy === null
            ? "remove it: runs are not retried by default"
            : `write retry: {duration: ${legacy === undefined ? "1d" : formatDuration(legacy.duration)}}`,
    });
    if (retry === undefined) return legacy;
  }
  return retry;
}

export function parseRetry(raw: unknown): Parsed<RetrySpec | null> {
  if (raw === true) return ok({ on_events: ALL_EVENTS, duration: HOUR });
  if (raw === false) return ok(null);
  const obj = asObject(raw);
  let events = ALL_EVENTS;
  if (obj.on_events !== undefined) {
    const list = stringsOf(obj.on_events);
    if (list === undefined)
      return fail("on_events must be a list of events", `choose from ${ALL_EVENTS.join(", ")}`);
    if (list.length === 0)
      return fail(
        "on_events is an empty list",
        `list events (${ALL_EVENTS.join(", ")}) or write retry: false`,
      );
    events = ALL_EVENTS.filter((e) => list.includes(e));
  }
  let duration = HOUR;
  if (obj.duration !== undefined) {
    const d = parseDuration(obj.duration, false);
    if (!d.ok) return fail(`duration: ${d.message}`, d.hint);
    duration = d.value as number;
  }
  return ok({ on_events: events, duration });
}

/** The 0.10-era `retry_policy: {retry, duration|limit}`; its default window was 1d. */
function parseRetryPolicy(raw: unknown): Parsed<RetrySpec | null> {
  const obj = asObject(raw);
  if (boolOf(obj.retry) === false) return ok(null);
  const window = obj.duration ?? obj.limit;
  if (window === undefined) return ok({ on_events: ALL_EVENTS, duration: 86400 });
  const d = parseDuration(window, false);
  if (!d.ok) return d;
  return ok({ on_events: ALL_EVENTS, duration: d.value as number });
}
