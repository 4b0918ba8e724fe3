// The service-only keys of a normalized ServiceSpec back to raw configuration (see render.ts). Replica
// groups are written as `replicas: [{count, ...}]`, the form both dstack 0.21 and later read.
import { formatRange } from "./grammar/range.js";
import { formatDuration } from "./grammar/units.js";
import { DEFAULT_MODEL_PREFIX } from "./normalize/service-endpoint.js";
import { compact, resources, type RawConfig } from "./render-fields.js";
import type { ModelSpec, ProbeSpec, ReplicaGroupSpec, ScalingSpec } from "./spec-service.js";
import type { ServiceSpec } from "./spec.js";

/** The service keys; rendered after the keys every run has, which it overrides where groups need it. */
export function renderService(spec: ServiceSpec): RawConfig {
  const gateway = spec.gateway;
  return {
    ...groupedOverrides(spec),
    commands: spec.commands.length > 0 ? spec.commands : null,
    port: spec.port,
    gateway:
      gateway === null || typeof gateway === "boolean"
        ? gateway
        : gateway.project === null
          ? gateway.name
          : `${gateway.project}/${gateway.name}`,
    strip_prefix: spec.strip_prefix,
    model: spec.model && model(spec.model),
    https: spec.https,
    auth: spec.auth,
    replicas: spec.groups === null ? spec.replicas && formatRange(spec.replicas) : spec.groups.map(group),
    scaling: spec.scaling && scaling(spec.scaling),
    rate_limits: spec.rate_limits.map((limit) => ({ ...limit })),
    probes: spec.probes.map(probe),
  };
}

/**
 * With replica groups the service-level resources are unused, and a service-level spot_policy or
 * reservation may not be written when a group sets its own (the service's then came from a profile,
 * a flag or the default, and is what the other groups get by not writing one).
 */
function groupedOverrides(spec: ServiceSpec): RawConfig {
  const groups = spec.groups;
  if (groups === null) return {};
  const override: RawConfig = { resources: null };
  if (groups.some((g) => g.spot_policy !== null)) override.spot_policy = null;
  if (groups.some((g) => g.reservation !== null)) override.reservation = null;
  return override;
}

function model(m: ModelSpec): RawConfig | string {
  if (m.format === "openai" && m.prefix === DEFAULT_MODEL_PREFIX) return m.name;
  return compact({ ...m });
}

function scaling(s: ScalingSpec): RawConfig {
  return {
    metric: s.metric,
    target: s.target,
    window: formatDuration(s.window),
    scale_up_delay: formatDuration(s.scale_up_delay),
    scale_down_delay: formatDuration(s.scale_down_delay),
  };
}

/** `method: get` is left out: it is the default, and dstack refuses a body with a written get. */
function probe(p: ProbeSpec): RawConfig {
  return compact({
    ...p,
    method: p.method === "get" ? null : p.method,
    timeout: formatDuration(p.timeout),
    interval: formatDuration(p.interval),
  });
}

function group(g: ReplicaGroupSpec): RawConfig {
  return compact({
    name: g.name,
    count: formatRange(g.replicas),
    scaling: g.scaling && scaling(g.scaling),
    resources: resources(g.resources),
    spot_policy: g.spot_policy,
    reservation: g.reservation,
    commands: g.commands.length > 0 ? g.commands : null,
    image: g.image,
    python: g.python,
    nvcc: g.nvcc,
    docker: g.docker,
    privileged: g.privileged,
    router: g.router && { ...g.router },
  });
}
