// Arbitraries of the service-only keys, valid as dstack reads them: port forms, gateway, model, replicas
// with scaling, replica groups, probes and rate limits. `fitGroups` drops what a group may not say given
// the service around it, so every generated service is valid.
import fc from "fast-check";
import { HTTP_METHODS } from "../../../src/compiler/schema/service.js";
import { runName } from "./fields.js";
import { duration, resources } from "./grammar.js";

const PORT = fc.integer({ min: 1, max: 65535 });

export const servicePort = fc.oneof(
  PORT,
  PORT.map(String),
  fc.tuple(PORT, PORT).map(([l, c]) => `${l}:${c}`),
  fc.record(
    { container_port: PORT, local_port: fc.option(PORT, { nil: undefined }) },
    { requiredKeys: ["container_port"] },
  ),
);

export const gateway = fc.oneof(
  fc.boolean(),
  runName,
  fc.tuple(runName, runName).map(([p, n]) => `${p}/${n}`),
  fc.record({ name: runName, project: runName }, { requiredKeys: ["name"] }),
);

const modelName = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,15}(\/[A-Za-z0-9._-]{1,15})?$/);

export const model = fc.oneof(
  modelName,
  fc.record(
    {
      type: fc.constant("chat"),
      name: modelName,
      format: fc.constant("openai"),
      prefix: fc.constantFrom("/v1", "/api/v1", "/"),
    },
    { requiredKeys: ["name", "format"] },
  ),
  fc.record(
    {
      type: fc.constant("chat"),
      name: modelName,
      format: fc.constant("tgi"),
      chat_template: fc.string(),
      eos_token: fc.string(),
    },
    { requiredKeys: ["name", "format"] },
  ),
);

export const scaling = fc.record(
  {
    metric: fc.constant("rps"),
    target: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.double({ min: 0.1, max: 100, noNaN: true })),
    window: fc.constantFrom(30, "60s", "5m", "300"),
    scale_up_delay: duration(false),
    scale_down_delay: duration(false),
  },
  { requiredKeys: ["metric", "target"] },
);

/** A fixed count (no scaling), or a range with both ends and scaling rules. */
const countAndScaling = fc.oneof(
  fc.integer({ min: 0, max: 4 }).map((n) => ({ count: n, scaling: undefined })),
  fc
    .tuple(fc.nat(3), fc.integer({ min: 1, max: 4 }), scaling)
    .map(([min, extra, s]) => ({ count: `${min}..${min + extra}` as unknown, scaling: s })),
);

export const replicasAndScaling = fc.oneof(
  fc.record({}),
  countAndScaling.map(({ count, scaling: s }) =>
    s === undefined ? { replicas: count } : { replicas: count, scaling: s },
  ),
);

const imageSource = fc.oneof(
  fc.constant({}),
  fc.record({ image: fc.constantFrom("vllm/vllm-openai:latest", "lmsysorg/sglang") }),
  fc.record({ python: fc.constantFrom("3.10", "3.12"), nvcc: fc.boolean() }, { requiredKeys: ["python"] }),
  fc.record({ docker: fc.constant(true), privileged: fc.constant(true) }, { requiredKeys: ["docker"] }),
);

const group = fc
  .record(
    {
      countAndScaling,
      countKey: fc.constantFrom("count", "replicas"),
      resources,
      commands: fc.array(fc.string(), { minLength: 1, maxLength: 2 }),
      source: imageSource,
      spot_policy: fc.constantFrom("spot", "on-demand", "auto"),
      reservation: runName,
    },
    { requiredKeys: ["countAndScaling", "countKey", "commands", "source"] },
  )
  .map(({ countAndScaling: cs, countKey, source, ...rest }) => ({
    [countKey]: cs.count,
    ...(cs.scaling === undefined ? {} : { scaling: cs.scaling }),
    ...source,
    ...rest,
  }));

/** 1 to 3 groups, named or not; the first may run the router (with exactly one replica). */
export const groups = fc
  .tuple(
    fc.array(group, { minLength: 1, maxLength: 3 }),
    fc.boolean(),
    fc.boolean(),
    fc.constantFrom("sglang", "dynamo"),
  )
  .map(([list, named, router, type]) =>
    list.map((g, i) => {
      const out: Record<string, unknown> = named ? { name: `g${i}`, ...g } : { ...g };
      if (router && i === 0) {
        delete out.replicas;
        delete out.scaling;
        out.count = 1;
        out.router = { type };
      }
      return out;
    }),
  );

/** Remove what a group may not set given the service's own fields (dstack's cross-level rules). */
export function fitGroups(
  service: Record<string, unknown>,
  list: Record<string, unknown>[],
): Record<string, unknown>[] {
  const serviceSource =
    service.image !== undefined ||
    service.python !== undefined ||
    service.nvcc === true ||
    service.docker === true;
  return list.map((g) => {
    const out = { ...g };
    if (serviceSource) for (const key of ["image", "python", "nvcc", "docker"]) delete out[key];
    if (service.privileged === true || out.docker === undefined) delete out.privileged;
    if (service.spot_policy !== undefined) delete out.spot_policy;
    if (service.reservation !== undefined) delete out.reservation;
    return out;
  });
}

const header = fc.record({
  name: fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/),
  value: fc.string({ minLength: 1, maxLength: 40 }),
});

const probe = fc
  .record(
    {
      url: fc.stringMatching(/^\/[a-z0-9/_-]{0,20}$/),
      method: fc.constantFrom(...HTTP_METHODS),
      headers: fc.array(header, { maxLength: 3 }),
      body: fc.string({ minLength: 1, maxLength: 40 }),
      timeout: fc.oneof(fc.integer({ min: 1, max: 120 }), fc.constantFrom("10s", "1m")),
      interval: fc.oneof(fc.integer({ min: 1, max: 120 }), fc.constantFrom("15s", "2m")),
      ready_after: fc.integer({ min: 1, max: 5 }),
      until_ready: fc.boolean(),
    },
    { requiredKeys: [] },
  )
  .map((p) => {
    // dstack refuses a body with get or head.
    const out: Record<string, unknown> = { type: "http", ...p };
    if (p.method === "get" || p.method === "head") delete out.body;
    return out;
  });

/** Probes with distinct urls, so that no two are equal. */
export const probes = fc.uniqueArray(probe, { maxLength: 3, selector: (p) => p.url ?? "/" });

const rateLimitKey = fc.oneof(
  fc.constant({ type: "ip_address" }),
  fc.record({ type: fc.constant("header"), header: fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/) }),
);

/** Rate limits with distinct prefixes (an omitted prefix is /). */
export const rateLimits = fc.uniqueArray(
  fc.record(
    {
      prefix: fc.stringMatching(/^\/[a-z0-9/_.-]{0,20}$/),
      key: rateLimitKey,
      rps: fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.double({ min: 0.02, max: 1000, noNaN: true })),
      burst: fc.nat(100),
    },
    { requiredKeys: ["rps"] },
  ),
  { maxLength: 3, selector: (l) => l.prefix ?? "/" },
);
