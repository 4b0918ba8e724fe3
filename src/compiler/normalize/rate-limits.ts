// `rate_limits`, which the gateway enforces with nginx: dstack's bounds keep every value inside what
// nginx accepts and out of its configuration syntax (dstack `core/models/configurations.py` RateLimit).
import type { DiagnosticBag, Path } from "../diagnostics.js";
import type { RateLimitKey, RateLimitSpec } from "../spec-service.js";
import { asObject, stringOf, type RawObject } from "./field.js";

const PREFIX = /^\/[^\s\\{}]*$/;
const MAX_PREFIX = 4094;
const HEADER = /^[a-zA-Z0-9_-]+$/;
const MAX_HEADER = 500;
const MAX_INT64 = 2n ** 63n - 1n;
/** nginx counts requests per minute: rps is at least one a minute, and a minute's worth fits an int64. */
const MIN_RPS = 1 / 60;
const MAX_RPS = Number(MAX_INT64 / 60n);

export function normalizeRateLimits(raw: unknown, bag: DiagnosticBag): RateLimitSpec[] {
  if (!Array.isArray(raw)) return [];
  const limits = raw.map((item, i) => normalizeLimit(asObject(item), ["rate_limits", i], bag));
  const seen = new Set<string>();
  limits.forEach((limit, i) => {
    if (seen.has(limit.prefix))
      bag.error({
        code: "duplicate",
        path: ["rate_limits", i, "prefix"],
        message: `prefix ${limit.prefix} has a rate limit already`,
        hint: "give each rate limit its own prefix (an omitted prefix is /)",
      });
    seen.add(limit.prefix);
  });
  return limits;
}

function normalizeLimit(raw: RawObject, base: Path, bag: DiagnosticBag): RateLimitSpec {
  const prefix = stringOf(raw.prefix) ?? "/";
  if (!PREFIX.test(prefix) || prefix.length > MAX_PREFIX)
    bag.error({
      code: "invalid-value",
      path: [...base, "prefix"],
      message: `${JSON.stringify(prefix)} is not a URL path prefix dstack accepts`,
      hint: `start with / and use no spaces, backslashes or braces (at most ${MAX_PREFIX} characters), e.g. prefix: /api/`,
    });
  const rps = typeof raw.rps === "number" ? raw.rps : MIN_RPS;
  if (typeof raw.rps === "number" && (rps < MIN_RPS || rps > MAX_RPS))
    bag.error({
      code: "invalid-value",
      path: [...base, "rps"],
      message: `${rps} is out of range: rps must be at least 1/60 (one request a minute) and at most ${MAX_RPS}`,
      hint: "write e.g. rps: 4",
    });
  const burst = typeof raw.burst === "number" ? raw.burst : 0;
  if (burst < 0 || BigInt(burst) > MAX_INT64)
    bag.error({
      code: "invalid-value",
      path: [...base, "burst"],
      message: `${burst} is not a burst size: it must be 0 or more`,
      hint: "write e.g. burst: 9",
    });
  return { prefix, key: normalizeKey(raw.key, [...base, "key"], bag), rps, burst };
}

function normalizeKey(raw: unknown, path: Path, bag: DiagnosticBag): RateLimitKey {
  const key = asObject(raw);
  if (key.type !== "header") return { type: "ip_address" };
  const header = stringOf(key.header) ?? "";
  if ((!HEADER.test(header) || header.length > MAX_HEADER) && !bag.hasErrorAt(path))
    bag.error({
      code: "invalid-value",
      path: [...path, "header"],
      message: `${JSON.stringify(header)} is not a header name dstack accepts`,
      hint: "use letters, digits, - and _ only, e.g. header: Authorization",
    });
  return { type: "header", header };
}
