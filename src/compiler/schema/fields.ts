// Raw (as written) shapes of the reusable configuration fields. Grammar inside strings (`A100:80GB:2`,
// `2h`, `80:8080`) is parsed later by src/compiler/grammar; here we check only the YAML shape.
import { z } from "zod";
import { DSTACK_BACKENDS } from "./backends.js";
import { idleDuration, offableDuration, profileExtras } from "./profile-extras.js";

export { BACKENDS } from "./backends.js";
export const SPOT_POLICIES = ["spot", "on-demand", "auto"] as const;
export const RETRY_EVENTS = ["no-capacity", "interruption", "error"] as const;
export const CREATION_POLICIES = ["reuse", "reuse-or-create"] as const;
export const TERMINATION_POLICIES = ["dont-destroy", "destroy-after-idle"] as const;
export const IDES = ["vscode", "cursor", "windsurf", "zed"] as const;

export const stringList = (what: string) => z.array(z.string()).describe(what);

export const duration = (what: string) =>
  z
    .union([z.string(), z.number().int().nonnegative(), z.literal(false)], {
      error: "expected a duration such as 90s, 30m, 2h, 1d, 1w, or a number of seconds",
    })
    .describe(what);

const rangeObject = z.strictObject({
  min: z.union([z.number(), z.string()]).optional(),
  max: z.union([z.number(), z.string()]).optional(),
});

export const sizeOrRange = (what: string) =>
  z
    .union([z.number(), z.string(), rangeObject], {
      error: "expected a size or range such as 80GB, 24GB.. or 16GB..80GB",
    })
    .describe(what);

export const countOrRange = (what: string) =>
  z
    .union([z.number().int(), z.string(), rangeObject], {
      error: "expected a count or range such as 2, 2.. or 1..8",
    })
    .describe(what);

// dstack's Optional fields also take null, meaning "not written".
const gpuObject = z.strictObject({
  vendor: z.string().nullish().describe("The vendor: nvidia, amd, google (alias tpu), intel or tenstorrent."),
  name: z
    .union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))])
    .nullish()
    .describe("A GPU name or a list of acceptable names."),
  count: countOrRange("The number of GPUs (default 1..)").optional(),
  memory: sizeOrRange("Memory per GPU, e.g. 24GB or 40GB..80GB").nullish(),
  total_memory: sizeOrRange("Memory of all GPUs together, e.g. 80GB..").nullish(),
  compute_capability: z
    .union([z.string(), z.number(), z.tuple([z.number().int(), z.number().int()])])
    .nullish()
    .describe("Minimum CUDA compute capability, e.g. 7.5 (or [7, 5])."),
});

// `{min, max}` alone is the older spelling of the count, which dstack still reads.
const cpuObject = z.strictObject({
  arch: z.string().nullish().describe("x86 or arm"),
  count: countOrRange("Number of cores").optional(),
  min: z.union([z.number(), z.string()]).optional().describe("Older spelling of count: {min: 4}"),
  max: z.union([z.number(), z.string()]).optional().describe("Older spelling of count: {max: 16}"),
});

export const resources = z
  .strictObject({
    cpu: z
      .union([z.number().int(), z.string(), cpuObject], {
        error: "expected a CPU count, range or arch:count such as 16, 16.., x86:16 or {min: 4}",
      })
      .optional()
      .describe("CPU cores: 16, 16.., x86:16, arm:8.., {arch, count} or {min, max} (default 2..)"),
    memory: sizeOrRange("RAM: 8GB, 200GB.. (a bare number is GB; default 8GB..)").optional(),
    shm_size: z
      .union([z.number(), z.string()], { error: "expected a size such as 16GB" })
      .nullish()
      .describe("Shared memory size, e.g. 16GB"),
    gpu: z
      .union([z.number().int(), z.string(), gpuObject], {
        error: "expected a GPU count, a string such as A100:80GB:2, or an object",
      })
      .nullish()
      .describe(
        "GPUs: a count, tokens in any order (A100:80GB:2, 40GB..80GB:4, A10G,A100, nvidia, v2-8), or an object",
      ),
    disk: z
      .union([z.number(), z.string(), z.strictObject({ size: sizeOrRange("Disk size") })], {
        error: "expected a disk size such as 100GB.. or {size: 200GB}",
      })
      .nullish()
      .describe("Disk size: 100GB.. (default), 500GB, or {size: ...}"),
  })
  .describe("The resources to run on.");

export const env = z
  .union(
    [z.array(z.string()), z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))],
    {
      error: "expected a list of NAME=VALUE (or NAME) or a mapping of NAME: VALUE",
    },
  )
  .describe(
    "Environment variables. A name without a value must be passed with -e NAME=VALUE or set in the environment.",
  );

export const retry = z
  .union(
    [
      z.boolean(),
      z.strictObject({
        on_events: z
          .array(z.enum(RETRY_EVENTS))
          .optional()
          .describe("Events to retry on (default: all three)."),
        duration: duration("How long to keep retrying (default 1h).").optional(),
      }),
    ],
    { error: "expected true, false, or {on_events: [...], duration: ...}" },
  )
  .describe("Resubmission policy: true = retry on no-capacity, interruption and error for 1h.");

const retryPolicy = z
  .strictObject({
    retry: z.boolean().optional(),
    duration: duration("How long to retry").optional(),
    limit: duration("How long to retry (older name of duration)").optional(),
  })
  .describe("Deprecated: use retry.");

export const repos = z
  .array(
    z.union(
      [
        z.string(),
        z.strictObject({
          local_path: z.string().optional(),
          url: z.string().optional(),
          branch: z.string().optional(),
          hash: z.string().optional(),
          path: z.string().optional(),
          if_exists: z.enum(["error", "skip"]).optional(),
        }),
      ],
      {
        error:
          "expected PATH[:CONTAINER_PATH], URL[:CONTAINER_PATH] or {local_path | url, path, branch, hash, if_exists}",
      },
    ),
  )
  .describe("The Git repo to put in the container (one): a local folder or a URL, with its container path.");

export const files = z
  .array(
    z.union([z.string(), z.strictObject({ local_path: z.string(), path: z.string() })], {
      error: "expected LOCAL[:PATH] or {local_path, path}",
    }),
  )
  .describe(
    "Local files and folders copied into the container: LOCAL[:PATH] (relative PATH: under the working dir).",
  );

export const volumes = z
  .array(
    z.union(
      [
        z.string(),
        z.strictObject({ name: z.union([z.string(), z.array(z.string())]), path: z.string() }),
        z.strictObject({ instance_path: z.string(), path: z.string(), optional: z.boolean().optional() }),
      ],
      { error: "expected name:/path, /instance/path:/path, {name, path} or {instance_path, path, optional}" },
    ),
  )
  .describe("Volume mounts: network volumes (name:/path) and instance volumes (/host/path:/path).");

export const ports = z
  .array(
    z.union([z.number().int(), z.string()], { error: "expected a port such as 8080, 80:8080 or *:8080" }),
  )
  .describe("Ports to expose: 8080, 80:8080 (local:container) or *:8080 (any local port).");

/** Fields shared by profiles, runs and (partly) fleets: where and how to provision. */
export const profileParams = {
  backends: z
    .array(z.enum(DSTACK_BACKENDS))
    .optional()
    .describe("Backends to consider, e.g. [aws, gcp]; dstack's other backends are accepted with a warning."),
  regions: stringList("Regions to consider.").optional(),
  availability_zones: stringList("Availability zones to consider.").optional(),
  instance_types: stringList("Cloud instance types to consider.").optional(),
  reservation: z
    .string()
    .optional()
    .describe("An existing reservation (AWS Capacity Reservation or Capacity Block)."),
  spot_policy: z.enum(SPOT_POLICIES).optional().describe("spot, on-demand (default) or auto."),
  retry: retry.optional(),
  retry_policy: retryPolicy.optional(),
  max_duration: offableDuration("Stop the run after this long (default off).").optional(),
  stop_duration: offableDuration("Graceful stop time before a forced stop (default 5m).").optional(),
  max_price: z.number().positive().optional().describe("Maximum instance price per hour, in USD."),
  creation_policy: z.enum(CREATION_POLICIES).optional().describe("reuse or reuse-or-create (default)."),
  fleets: stringList("Fleets whose instances the run may use (only these, when set).").optional(),
  pool_name: z
    .string()
    .optional()
    .describe(
      "The pool the run reuses an idle instance of, or adds its new instance to (default: the default pool).",
    ),
  idle_duration: idleDuration(
    "Terminate an idle instance after this long (default 5m for runs, 3d for fleets); off or -1: never.",
  ).optional(),
  termination_policy: z.enum(TERMINATION_POLICIES).optional().describe("Deprecated: use idle_duration."),
  termination_idle_time: duration("Deprecated: use idle_duration.").optional(),
  ...profileExtras,
};

export const name = z.string().describe("The name; generated when omitted.");
