// Raw shapes of each configuration type and of the profiles file.
import { z } from "zod";
import {
  BACKENDS,
  env,
  files,
  repos,
  IDES,
  name,
  ports,
  profileParams,
  resources,
  stringList,
  volumes,
} from "./fields.js";
import { offableDuration } from "./profile-extras.js";
import { runExtras, taskExtras } from "./run-keys.js";
import * as svc from "./service.js";

/** The service-only keys (schema/service.ts). */
const serviceParams = {
  port: svc.servicePort,
  gateway: svc.gateway,
  strip_prefix: z
    .boolean()
    .optional()
    .describe("Strip /proxy/services/<project>/<run>/ before forwarding (default true; no gateway only)."),
  model: svc.model,
  https: z
    .union([z.boolean(), z.literal("auto")], { error: "expected true, false or auto" })
    .nullish()
    .describe("HTTPS on the gateway: true (default), false, or auto (from the gateway's certificate)."),
  auth: z.boolean().optional().describe("Require a dstack token to call the service (default true)."),
  replicas: svc.replicas,
  groups: svc.replicaGroups.nullish(),
  scaling: svc.scaling,
  rate_limits: svc.rateLimits,
  probes: svc.probes,
};

export const CONFIGURATION_TYPES = ["dev-environment", "task", "service", "fleet", "volume"] as const;
export type ConfigurationType = (typeof CONFIGURATION_TYPES)[number];

const runBase = {
  name: name.optional(),
  image: z.string().optional().describe("The Docker image to run. Mutually exclusive with python and nvcc."),
  user: z
    .union([z.string(), z.number().int()])
    .optional()
    .describe("User in the container: name or uid[:gid]."),
  privileged: z.boolean().optional().describe("Run the container privileged."),
  entrypoint: z.string().optional().describe("The Docker entrypoint."),
  working_dir: z.string().optional().describe("Working directory, relative to /workflow (default .)."),
  registry_auth: z
    .strictObject({ username: z.string(), password: z.string() })
    .optional()
    .describe("Credentials for a private registry; the password is kept secret."),
  python: z
    .union([z.string(), z.number()])
    .optional()
    .describe('Python version of the base image, e.g. "3.11".'),
  nvcc: z.boolean().optional().describe("Use a base image that includes nvcc."),
  single_branch: z.boolean().optional().describe("Clone only the current branch of a remote repo."),
  env: env.optional(),
  resources: resources.optional(),
  volumes: volumes.optional(),
  repos: repos.optional(),
  files: files.optional(),
  build: stringList("Commands that prepare the image before the run (a later `dstack build`).").optional(),
  ...runExtras,
  ...profileParams,
};

export const devEnvironment = z
  .strictObject({
    type: z.literal("dev-environment"),
    ide: z
      .enum(IDES)
      .optional()
      .describe("The IDE to set up: vscode, cursor, windsurf or zed (default none: SSH only)."),
    version: z
      .union([z.string(), z.number()])
      .optional()
      .describe("The IDE version (needs ide; windsurf: version@commit)."),
    init: stringList("Shell commands to run on start.").optional(),
    inactivity_duration: offableDuration(
      "Stop after this long without SSH connections (default off).",
    ).optional(),
    ports: ports.optional(),
    ...runBase,
  })
  .describe("A dev environment: an instance with your repo and IDE.");

export const task = z
  .strictObject({
    type: z.literal("task"),
    commands: stringList(
      "Shell commands to run (optional with image: the image's entrypoint runs).",
    ).optional(),
    nodes: z.number().int().min(1).optional().describe("Number of nodes (default 1)."),
    ports: ports.optional(),
    ...taskExtras,
    ...runBase,
  })
  .describe("A task: commands run to completion.");

export const service = z
  .strictObject({
    type: z.literal("service"),
    commands: stringList(
      "Shell commands that start the service; without them the image's own entrypoint runs.",
    ).optional(),
    ...serviceParams,
    ...runBase,
  })
  .describe("A service: a long-running endpoint (parsed and validated; not yet provisioned).");

const sshHost = z.union([
  z.string(),
  z.strictObject({
    hostname: z.string(),
    port: z.number().int().optional(),
    user: z.string().optional(),
    identity_file: z.string().optional(),
    internal_ip: z.string().optional(),
    blocks: z.union([z.number().int(), z.literal("auto")]).optional(),
  }),
]);

export const fleet = z
  .strictObject({
    type: z.literal("fleet"),
    name: name.optional(),
    nodes: z
      .union(
        [
          z.number().int(),
          z.string(),
          z.strictObject({
            min: z.number().int().optional(),
            target: z.number().int().optional(),
            max: z.number().int().optional(),
          }),
        ],
        {
          error: "expected a number, min..max, or {min, target, max}",
        },
      )
      .optional()
      .describe("Number of instances: 2, 0..4, or {min, target, max}."),
    placement: z
      .enum(["any", "cluster"])
      .optional()
      .describe("cluster: instances on one interconnected network."),
    resources: resources.optional(),
    env: env.optional(),
    blocks: z.union([z.number().int().min(1), z.literal("auto")]).optional(),
    ssh_config: z
      .strictObject({
        user: z.string().optional(),
        port: z.number().int().optional(),
        identity_file: z.string().optional(),
        proxy_jump: z
          .strictObject({
            hostname: z.string(),
            port: z.number().int().optional(),
            user: z.string(),
            identity_file: z.string(),
          })
          .optional(),
        network: z.string().optional(),
        hosts: z.array(sshHost).min(1),
      })
      .optional()
      .describe("Use existing hosts over SSH instead of provisioning."),
    backends: profileParams.backends,
    regions: profileParams.regions,
    availability_zones: profileParams.availability_zones,
    instance_types: profileParams.instance_types,
    reservation: profileParams.reservation,
    spot_policy: profileParams.spot_policy,
    retry: profileParams.retry,
    retry_policy: profileParams.retry_policy,
    max_price: profileParams.max_price,
    idle_duration: profileParams.idle_duration,
    termination_policy: profileParams.termination_policy,
    termination_idle_time: profileParams.termination_idle_time,
  })
  .describe("A fleet (pool) of instances.");

export const volume = z
  .strictObject({
    type: z.literal("volume"),
    name: z.string().describe("The volume name."),
    backend: z.enum(BACKENDS).describe("The backend to create the volume in."),
    region: z
      .string()
      .optional()
      .describe("The region of the volume (required except on the local backend)."),
    availability_zone: z.string().optional(),
    size: z
      .union([z.number(), z.string()])
      .optional()
      .describe("Size, e.g. 100GB. Required unless volume_id is set."),
    volume_id: z.string().optional().describe("Register an existing cloud volume instead of creating one."),
  })
  .describe("A network volume.");

export const SCHEMAS: Record<ConfigurationType, z.ZodType> = {
  "dev-environment": devEnvironment,
  task,
  service,
  fleet,
  volume,
};

/** Keys each type accepts, for "did you mean" and for telling which type a misplaced key belongs to. */
export function keysOf(type: ConfigurationType): string[] {
  return Object.keys((SCHEMAS[type] as z.ZodObject).shape);
}

export const configuration = z.discriminatedUnion("type", [devEnvironment, task, service, fleet, volume]);

export const profile = z.strictObject({
  name: z.string().describe("The profile name, used with --profile."),
  default: z.boolean().optional().describe("Use this profile when no --profile is given."),
  ...profileParams,
});

export const profilesFile = z.strictObject({ profiles: z.array(profile) });
