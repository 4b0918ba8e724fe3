// The service-only parts of ServiceSpec (spec.ts): replica groups, scaling, probes, rate limits, the
// model mapping and the gateway. Values are dstack's, with its defaults filled in: durations in seconds,
// ranges as {min, max}. Sources: dstack `core/models/configurations.py` (ServiceConfigurationParams,
// ReplicaGroup, ScalingSpec, ProbeConfig, RateLimit) and `core/models/services.py` (the model formats).
import type { Range } from "./grammar/range.js";
import type { HTTP_METHODS, ROUTER_TYPES } from "./schema/service.js";
import type { ResourcesSpec, SpotPolicy } from "./spec.js";

export type HttpMethod = (typeof HTTP_METHODS)[number];
export type RouterType = (typeof ROUTER_TYPES)[number];

/** `scaling`: dstack's autoscaler keeps `rps` per replica near `target`. */
export interface ScalingSpec {
  metric: "rps";
  target: number;
  /** Seconds of traffic the rps is averaged over: 30, 60 (default) or 300. */
  window: number;
  scale_up_delay: number;
  scale_down_delay: number;
}

export interface HttpHeaderSpec {
  name: string;
  value: string;
}

/** One HTTP health probe of every replica (dstack's ProbeSpec, defaults filled). */
export interface ProbeSpec {
  type: "http";
  url: string;
  method: HttpMethod;
  headers: HttpHeaderSpec[];
  body: string | null;
  timeout: number;
  interval: number;
  ready_after: number;
  until_ready: boolean;
}

export type RateLimitKey = { type: "ip_address" } | { type: "header"; header: string };

export interface RateLimitSpec {
  prefix: string;
  key: RateLimitKey;
  rps: number;
  burst: number;
}

/** `model`: the string shorthand is an OpenAI-format chat model served under /v1. */
export type ModelSpec =
  | { type: "chat"; name: string; format: "openai"; prefix: string }
  | { type: "chat"; name: string; format: "tgi"; chat_template: string | null; eos_token: string | null };

/** `gateway`: true (the default gateway, required), false (none), or a named one; null = not written. */
export type GatewaySpec = boolean | { project: string | null; name: string } | null;

/**
 * One replica group. Fields left null inherit the service's value (image, python, nvcc, docker,
 * privileged, spot_policy, reservation); `resources` does not inherit: a group without it gets dstack's
 * default resources.
 */
export interface ReplicaGroupSpec {
  name: string;
  replicas: Range;
  scaling: ScalingSpec | null;
  resources: ResourcesSpec;
  spot_policy: SpotPolicy | null;
  reservation: string | null;
  commands: string[];
  image: string | null;
  python: string | null;
  nvcc: boolean | null;
  docker: boolean | null;
  privileged: boolean | null;
  router: { type: RouterType } | null;
}

export interface ServiceFields {
  commands: string[];
  /** The container port the service listens on (dstack uses only the container side of a mapping). */
  port: number;
  gateway: GatewaySpec;
  strip_prefix: boolean;
  model: ModelSpec | null;
  /** true, false or auto; null = not written (HTTPS on a gateway, allowed without one). */
  https: boolean | "auto" | null;
  auth: boolean;
  /** The number of replicas; null when the service has replica groups. */
  replicas: Range | null;
  scaling: ScalingSpec | null;
  /** Replica groups (`replicas: [...]` or `groups: [...]`); null for a homogeneous service. */
  groups: ReplicaGroupSpec[] | null;
  rate_limits: RateLimitSpec[];
  /** The probes that run; a model without written probes gets dstack's chat-completions probe. */
  probes: ProbeSpec[];
}
