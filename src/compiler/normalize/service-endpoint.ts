// How a service is reached: `port`, `gateway`, `model` and `https`, with dstack's meaning (dstack
// `core/models/configurations.py` ServiceConfigurationParams, `core/models/services.py`).
import type { DiagnosticBag } from "../diagnostics.js";
import { fail, ok, type Parsed } from "../grammar/result.js";
import type { GatewaySpec, ModelSpec, ServiceFields } from "../spec-service.js";
import { asObject, parseField, stringOf } from "./field.js";

const PORT_EXAMPLE = "write the port the service listens on, e.g. port: 8000";

function validPort(n: number): Parsed<number> {
  return Number.isInteger(n) && n >= 1 && n <= 65535
    ? ok(n)
    : fail(`${n} is not a port number (1 to 65535)`, PORT_EXAMPLE);
}

/**
 * dstack keeps `port` as a mapping for historical reasons but uses only its container side: `8000`,
 * `"8000"`, `80:8000` and `{container_port: 8000}` all mean "the service listens on 8000". `*:8000` is
 * a `ports` form that dstack rejects here.
 */
export function parseServicePort(raw: unknown): Parsed<number> {
  if (typeof raw === "number") return validPort(raw);
  if (typeof raw === "string") {
    const match = /^\s*(?:(\d+):)?(\d+)\s*$/.exec(raw);
    if (match === null) return fail(`"${raw}" is not a service port`, PORT_EXAMPLE);
    if (match[1] !== undefined) {
      const local = validPort(Number(match[1]));
      if (!local.ok) return local;
    }
    return validPort(Number(match[2]));
  }
  const mapping = asObject(raw);
  if (typeof mapping.local_port === "number") {
    const local = validPort(mapping.local_port);
    if (!local.ok) return local;
  }
  return typeof mapping.container_port === "number"
    ? validPort(mapping.container_port)
    : fail("expected a port", PORT_EXAMPLE);
}

/** `name` or `project/name` (dstack's EntityReference), or the mapping {name, project}. */
export function parseGateway(raw: unknown): Parsed<GatewaySpec> {
  if (typeof raw === "boolean") return ok(raw);
  if (typeof raw === "string") {
    const parts = raw.split("/");
    if (parts.length > 2 || parts.some((part) => part === ""))
      return fail(
        `"${raw}" is not a gateway reference`,
        "write the gateway name, or project/name for another project's gateway",
      );
    return ok(parts.length === 1 ? { project: null, name: raw } : { project: parts[0]!, name: parts[1]! });
  }
  const mapping = asObject(raw);
  const name = stringOf(mapping.name);
  if (name === undefined || name === "")
    return fail("a gateway mapping needs a name", "write gateway: NAME or {name: NAME, project: PROJECT}");
  return ok({ project: stringOf(mapping.project) ?? null, name });
}

export const DEFAULT_MODEL_PREFIX = "/v1";

/** A name is dstack's shorthand for an OpenAI-format chat model under /v1. */
export function normalizeModel(raw: unknown): ModelSpec | null {
  if (typeof raw === "string")
    return { type: "chat", name: raw, format: "openai", prefix: DEFAULT_MODEL_PREFIX };
  const mapping = asObject(raw);
  const name = stringOf(mapping.name);
  if (name === undefined) return null;
  if (mapping.format === "openai")
    return { type: "chat", name, format: "openai", prefix: stringOf(mapping.prefix) ?? DEFAULT_MODEL_PREFIX };
  if (mapping.format === "tgi")
    return {
      type: "chat",
      name,
      format: "tgi",
      chat_template: stringOf(mapping.chat_template) ?? null,
      eos_token: stringOf(mapping.eos_token) ?? null,
    };
  return null;
}

export function normalizeEndpoint(
  raw: Record<string, unknown>,
  bag: DiagnosticBag,
): Pick<ServiceFields, "port" | "gateway" | "model" | "https"> {
  return {
    // A missing port is reported by the shape check (missing required key "port"); 80 only keeps the
    // spec whole until the errors are shown.
    port: parseField(bag, ["port"], raw.port, parseServicePort) ?? 80,
    gateway: parseField(bag, ["gateway"], raw.gateway, parseGateway) ?? null,
    model: bag.hasErrorAt(["model"]) ? null : normalizeModel(raw.model),
    https: typeof raw.https === "boolean" || raw.https === "auto" ? raw.https : null,
  };
}
