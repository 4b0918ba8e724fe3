// Raw shapes of the service-only keys, as dstack's ServiceConfigurationParams accepts them (dstack
// `core/models/configurations.py`, `services.py`). Keys that dstack declares Optional also take null
// (`https:` left empty), as pydantic does. Cross-field rules and defaults are in normalize/service*.ts.
import { z } from "zod";
import { countOrRange, resources, SPOT_POLICIES, stringList } from "./fields.js";

export const HTTP_METHODS = ["get", "post", "put", "delete", "patch", "head"] as const;
export const ROUTER_TYPES = ["sglang", "dynamo"] as const;

/** A duration without `off`: a number of seconds or 90s, 5m, 2h. */
const seconds = (what: string) =>
  z
    .union([z.string(), z.number().int().nonnegative()], {
      error: "expected a duration such as 15s, 5m or a number of seconds",
    })
    .describe(what);

const port = z.number().int().min(1).max(65535);

export const servicePort = z
  .union([port, z.string(), z.strictObject({ local_port: port.nullish(), container_port: port })], {
    error: "expected the port the service listens on, such as 8000",
  })
  .meta({
    description: "The port the service listens on: 8000 (or the older local:container form, 80:8000).",
    examples: [8000],
  });

export const gateway = z
  .union([z.boolean(), z.string(), z.strictObject({ name: z.string(), project: z.string().nullish() })], {
    error: "expected true, false, a gateway name, or project/name",
  })
  .nullish()
  .describe(
    "The gateway: a name (or project/name), true for the default gateway (required), false for none. Omitted: the default gateway if there is one.",
  );

const modelType = z.literal("chat").optional().describe("The model type; only chat.");
const openaiModel = z.strictObject({
  type: modelType,
  name: z
    .string()
    .meta({ description: "The model name in the OpenAI-compatible API.", examples: ["Qwen/Qwen3-8B"] }),
  format: z.literal("openai"),
  prefix: z.string().optional().describe("The base_url prefix of the API (default /v1)."),
});
const tgiModel = z.strictObject({
  type: modelType,
  name: z.string().describe("The model name, also used to load its configuration from the Hugging Face Hub."),
  format: z.literal("tgi"),
  chat_template: z.string().nullish().describe("A custom prompt template (default: the model's own)."),
  eos_token: z.string().nullish().describe("A custom end-of-sentence token (default: the model's own)."),
});

export const model = z
  .union([z.string(), z.discriminatedUnion("format", [openaiModel, tgiModel])], {
    error: "expected a model name, or a mapping {name, format: openai | tgi, ...}",
  })
  .nullish()
  .describe(
    "The model served, for dstack's OpenAI-compatible endpoint: a name (an OpenAI-format API at /v1), or {type: chat, name, format: openai | tgi, prefix}.",
  );

export const scaling = z
  .strictObject({
    metric: z
      .literal("rps")
      .meta({ description: "The metric to track; only rps (requests per second).", examples: ["rps"] }),
    target: z
      .number()
      .positive()
      .meta({ description: "The target rps per replica.", examples: [10] }),
    window: seconds("The window rps is averaged over: 30s, 60s (default) or 300s.").nullish(),
    scale_up_delay: seconds("Minimum time between a scaling event and a scale-up (default 5m).").optional(),
    scale_down_delay: seconds(
      "Minimum time between a scaling event and a scale-down (default 10m).",
    ).optional(),
  })
  .nullish()
  .describe("Auto-scaling rules; required when replicas is a range.");

const header = z.strictObject({
  name: z.string().describe("The header name."),
  value: z.string().describe("The header value; ${{ env.NAME }} is interpolated."),
});

export const probe = z.strictObject({
  type: z.literal("http").meta({ description: "The probe type; only http.", examples: ["http"] }),
  url: z.string().nullish().describe("The path to request, starting with / (default /)."),
  method: z.enum(HTTP_METHODS).nullish().describe("The HTTP method (default get)."),
  headers: z.array(header).optional().describe("Headers to send (at most 16)."),
  body: z.string().nullish().describe("The request body (not with get or head)."),
  timeout: seconds("How long a request may take (default 10s).").nullish(),
  interval: seconds("Time between the end of one probe and the start of the next (default 15s).").nullish(),
  ready_after: z
    .number()
    .int()
    .nullish()
    .describe("Consecutive successes before the replica is ready (default 1)."),
  until_ready: z.boolean().nullish().describe("Stop probing once ready_after is reached (default false)."),
});

export const probes = z
  .array(probe)
  .nullish()
  .describe(
    "HTTP health probes of each replica. With model and no probes, dstack probes /v1/chat/completions; [] disables that.",
  );

const rateLimitKey = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("ip_address") }),
  z.strictObject({
    type: z.literal("header"),
    header: z.string().describe("The header whose value partitions the requests."),
  }),
]);

export const rateLimits = z
  .array(
    z.strictObject({
      prefix: z.string().optional().describe("The URL path prefix the limit applies to (default /)."),
      key: rateLimitKey.optional().describe("What a limit is counted per (default: the client IP address)."),
      rps: z.number().meta({ description: "Maximum requests per second.", examples: [4] }),
      burst: z.number().int().optional().describe("Requests allowed ahead of the limit (default 0)."),
    }),
  )
  .optional()
  .describe("Rate limits, applied by the gateway per prefix and per client.");

const groupCount = (what: string) => countOrRange(what).meta({ examples: ["1..4"] });

export const replicaGroup = z.strictObject({
  name: z.string().nullish().describe("The group name (default: its index, 0, 1, ...)."),
  replicas: groupCount("The number of replicas: 2 or a range 0..4 (needs scaling).").optional(),
  count: groupCount("The older name of replicas.").optional(),
  scaling,
  resources: resources.optional(),
  spot_policy: z.enum(SPOT_POLICIES).nullish(),
  reservation: z.string().nullish(),
  commands: stringList("The commands of this group's replicas.").optional(),
  image: z.string().nullish().describe("The image of this group (not with a service-level image)."),
  python: z
    .union([z.string(), z.number()])
    .nullish()
    .describe('Python version of the base image, e.g. "3.12".'),
  nvcc: z.boolean().nullish(),
  docker: z.boolean().nullish().describe("Docker in Docker for this group (runs privileged)."),
  privileged: z.boolean().nullish(),
  router: z
    .strictObject({ type: z.enum(ROUTER_TYPES).optional() })
    .nullish()
    .describe("Run the in-service router (sglang or dynamo) in this group; at most one group, replicas: 1."),
});

export const replicaGroups = z
  .array(replicaGroup)
  .describe("Replica groups: each with its own replicas, commands, resources and scaling.");

export const replicas = z
  .union(
    [
      z.number().int(),
      z.string(),
      z.strictObject({ min: z.number().int().nullish(), max: z.number().int().nullish() }),
      replicaGroups,
    ],
    { error: "expected a number of replicas (2), a range (0..4), or a list of replica groups" },
  )
  .nullish()
  .describe("The number of replicas (2), a range (0..4, needs scaling), or a list of replica groups.");
