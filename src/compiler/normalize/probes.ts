// `probes`, with dstack's defaults filled in, and the probe dstack adds for an OpenAI-format `model`
// when none are written (dstack `core/models/configurations.py` ProbeConfig; the defaults and the model
// probe are in `server/services/jobs/configurators/base.py`).
import type { DiagnosticBag, Path } from "../diagnostics.js";
import { parseDuration } from "../grammar/units.js";
import type { HttpMethod, ModelSpec, ProbeSpec } from "../spec-service.js";
import { asObject, boolOf, parseField, stringOf, type RawObject } from "./field.js";

export const PROBE_DEFAULTS = {
  url: "/",
  method: "get",
  timeout: 10,
  interval: 15,
  ready_after: 1,
  until_ready: false,
} as const;
const MODEL_PROBE_TIMEOUT = 30;
const MAX_URL = 2048;
const MAX_HEADERS = 16;
const MAX_BODY = 2048;

export function normalizeProbes(raw: unknown, model: ModelSpec | null, bag: DiagnosticBag): ProbeSpec[] {
  if (!Array.isArray(raw)) return raw === undefined || raw === null ? defaultProbes(model) : [];
  const probes = raw.map((item, i) => normalizeProbe(asObject(item), ["probes", i], bag));
  // dstack refuses equal probes. Compared with defaults filled in, so that a probe written out by
  // `render` (every field explicit) is still unique.
  const seen = new Set<string>();
  probes.forEach((probe, i) => {
    const key = JSON.stringify(probe);
    if (seen.has(key))
      bag.error({
        code: "duplicate",
        path: ["probes", i],
        message: "this probe is the same as an earlier one",
        hint: "remove it, or change its url, method, headers or body",
      });
    seen.add(key);
  });
  return probes;
}

function normalizeProbe(raw: RawObject, base: Path, bag: DiagnosticBag): ProbeSpec {
  const url = stringOf(raw.url);
  if (url !== undefined) checkUrl(url, [...base, "url"], bag);
  const method = stringOf(raw.method) as HttpMethod | undefined;
  const body = stringOf(raw.body);
  if (body !== undefined) {
    if (method === "get" || method === "head")
      bag.error({
        code: "conflict",
        path: [...base, "body"],
        atKey: true,
        message: `a ${method} request cannot have a body`,
        hint: "set method: post (or put, patch, delete), or remove body",
      });
    else if (body.length === 0 || body.length > MAX_BODY)
      tooLong([...base, "body"], body.length, MAX_BODY, bag);
  }
  const headers = Array.isArray(raw.headers) ? raw.headers.map(asObject) : [];
  if (headers.length > MAX_HEADERS)
    bag.error({
      code: "invalid-value",
      path: [...base, "headers"],
      message: `${headers.length} headers are more than the ${MAX_HEADERS} dstack sends`,
    });
  headers.forEach((header, i) => {
    for (const [key, max] of [
      ["name", 256],
      ["value", 2048],
    ] as const) {
      const text = stringOf(header[key]);
      if (text !== undefined && (text.length === 0 || text.length > max))
        tooLong([...base, "headers", i, key], text.length, max, bag);
    }
  });
  const readyAfter = raw.ready_after;
  if (typeof readyAfter === "number" && readyAfter < 1)
    bag.error({
      code: "invalid-value",
      path: [...base, "ready_after"],
      message: `${readyAfter} is too small: at least 1 successful probe is needed`,
      hint: "write ready_after: 1 or more",
    });
  return {
    type: "http",
    url: url ?? PROBE_DEFAULTS.url,
    method: method ?? PROBE_DEFAULTS.method,
    headers: headers.map((h) => ({ name: stringOf(h.name) ?? "", value: stringOf(h.value) ?? "" })),
    body: body ?? null,
    timeout: atLeastOneSecond(raw.timeout, [...base, "timeout"], bag) ?? PROBE_DEFAULTS.timeout,
    interval: atLeastOneSecond(raw.interval, [...base, "interval"], bag) ?? PROBE_DEFAULTS.interval,
    ready_after: typeof readyAfter === "number" ? readyAfter : PROBE_DEFAULTS.ready_after,
    until_ready: boolOf(raw.until_ready) ?? PROBE_DEFAULTS.until_ready,
  };
}

function checkUrl(url: string, path: Path, bag: DiagnosticBag): void {
  let problem: string | undefined;
  if (!url.startsWith("/")) problem = `"${url}" does not start with /`;
  else if (url.length > MAX_URL) problem = `the url is ${url.length} characters, more than ${MAX_URL}`;
  // eslint-disable-next-line no-control-regex -- exactly the characters dstack refuses
  else if (/[\u0000-\u001f\u007f]/.test(url)) problem = "the url contains non-printable characters";
  if (problem !== undefined)
    bag.error({
      code: "invalid-value",
      path,
      message: problem,
      hint: "write a path on the service, e.g. url: /health",
    });
}

function tooLong(path: Path, length: number, max: number, bag: DiagnosticBag): void {
  bag.error({
    code: "invalid-value",
    path,
    message: length === 0 ? "is empty" : `is ${length} characters, more than ${max}`,
    hint: length === 0 ? "remove it or give it a value" : `shorten it to at most ${max} characters`,
  });
}

function atLeastOneSecond(raw: unknown, path: Path, bag: DiagnosticBag): number | undefined {
  const seconds = parseField(bag, path, raw, (r) => parseDuration(r, false)) as number | undefined;
  if (seconds === 0) {
    bag.error({ code: "invalid-value", path, message: "cannot be shorter than 1s", hint: "write e.g. 10s" });
    return undefined;
  }
  return seconds;
}

/**
 * Without written probes, dstack checks an OpenAI-format model with one chat completion (the body is
 * Python's `json.dumps` of the request, spaces included, as dstack sends it).
 */
function defaultProbes(model: ModelSpec | null): ProbeSpec[] {
  if (model?.format !== "openai") return [];
  const request = { model: model.name, messages: [{ role: "user", content: "hi" }], max_tokens: 1 };
  return [
    {
      type: "http",
      url: `${model.prefix.replace(/\/+$/, "")}/chat/completions`,
      method: "post",
      headers: [{ name: "Content-Type", value: "application/json" }],
      body: pythonJson(request),
      timeout: MODEL_PROBE_TIMEOUT,
      interval: PROBE_DEFAULTS.interval,
      ready_after: PROBE_DEFAULTS.ready_after,
      until_ready: PROBE_DEFAULTS.until_ready,
    },
  ];
}

/** JSON with Python's default separators (", " and ": "), ASCII-escaped like `json.dumps`. */
function pythonJson(value: unknown): string {
  const ascii = (text: string) =>
    JSON.stringify(text).replace(
      /[\u0080-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
  if (typeof value === "string") return ascii(value);
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(", ")}]`;
  if (value !== null && typeof value === "object")
    return `{${Object.entries(value)
      .map(([k, v]) => `${ascii(k)}: ${pythonJson(v)}`)
      .join(", ")}}`;
  return JSON.stringify(value);
}
