// Stage 2 for dev environments, tasks and services: grammar, cross-field rules, merge and defaults.
import type { DiagnosticBag } from "../diagnostics.js";
import { parsePort } from "../grammar/ports.js";
import { parseRange } from "../grammar/range.js";
import { parseCount, parseDuration } from "../grammar/units.js";
import type { YamlSource } from "../source/yaml-source.js";
import {
  SPEC_VERSION,
  type DevEnvironmentSpec,
  type RunSpec,
  type ServiceSpec,
  type TaskSpec,
} from "../spec.js";
import { declareEnv, resolveEnv } from "./env.js";
import { asObject, boolOf, parseField, stringOf, stringsOf, type RawObject } from "./field.js";
import { mergePlacement, type Layers } from "./layers.js";
import { normalizePlacement } from "./placement.js";
import { normalizeTaskNodes } from "./node-groups.js";
import { normalizeResources, resolveResources } from "./resources.js";
import { warnMultiNode, warnRunEffects } from "./run-effects.js";
import {
  checkVolumeNames,
  interpolateCommands,
  interpolateEnv,
  interpolateRegistryAuth,
} from "./run-interpolation.js";
import { checkCommandsOrImage, normalizeIde, normalizeRunKeys } from "./run-keys.js";
import {
  checkExclusive,
  normalizeName,
  normalizePorts,
  normalizePython,
  normalizeRegistryAuth,
  normalizeUser,
  normalizeVolumes,
  normalizeWorkingDir,
  writtenText,
} from "./run-fields.js";

const RUN_IDLE_DEFAULT = 300;
const STOP_DEFAULT = 300;

export function normalizeRun(
  raw: RawObject,
  source: YamlSource,
  bag: DiagnosticBag,
  layers: Layers,
): RunSpec {
  checkExclusive(raw, bag);
  warnRunEffects(raw, bag);
  const keys = normalizeRunKeys(raw, bag);
  const placement = mergePlacement(normalizePlacement(raw, bag), layers);
  const resources = resolveResources([
    normalizeResources(raw.resources, bag, ["resources"]),
    layers.cli.resources,
  ]);
  const declared = interpolateEnv(declareEnv(raw.env, bag, ["env"]), bag);
  const env = resolveEnv(declared, layers.env, bag, layers.cliBag, ["env"]);
  const volumes = normalizeVolumes(raw.volumes, bag);
  checkVolumeNames(volumes, bag);
  const version =
    raw.version === undefined ? null : writtenText(raw.version, source.scalarSource(["version"]));
  const common = {
    spec_version: SPEC_VERSION,
    name: layers.cli.name ?? normalizeName(raw.name, bag, "run"),
    image: stringOf(raw.image) ?? null,
    python: normalizePython(raw, source.scalarSource(["python"]), bag),
    // With an image, nvcc has no effect (dstack runs the image as it is).
    nvcc: raw.image === undefined ? (boolOf(raw.nvcc) ?? false) : false,
    user: normalizeUser(raw.user, bag),
    privileged: keys.privileged,
    entrypoint: stringOf(raw.entrypoint) ?? null,
    working_dir: normalizeWorkingDir(raw.working_dir, bag),
    registry_auth: interpolateRegistryAuth(normalizeRegistryAuth(raw.registry_auth), env, bag),
    single_branch: boolOf(raw.single_branch) ?? null,
    env,
    resources,
    volumes,
    build: stringsOf(raw.build) ?? [],
    ...placement,
    max_duration: placement.max_duration ?? ("off" as const),
    stop_duration: placement.stop_duration ?? STOP_DEFAULT,
    idle_duration: placement.idle_duration ?? RUN_IDLE_DEFAULT,
    creation_policy: placement.creation_policy ?? ("reuse-or-create" as const),
    fleets: placement.fleets ?? null,
    docker: keys.docker,
    shell: keys.shell,
    priority: keys.priority,
    utilization_policy: placement.utilization_policy ?? null,
    schedule: placement.schedule ?? null,
    startup_order: placement.startup_order ?? ("any" as const),
    stop_criteria: placement.stop_criteria ?? ("all-done" as const),
    instances: placement.instances ?? null,
    tags: placement.tags ?? null,
  };
  switch (raw.type) {
    case "dev-environment":
      return devEnvironment(raw, bag, common, version);
    case "task":
      return task(raw, bag, common, layers.runArgs);
    default:
      return service(raw, bag, common);
  }
}

type Common = Omit<RunSpec, "type" | "ports" | "inactivity_duration">;

function devEnvironment(
  raw: RawObject,
  bag: DiagnosticBag,
  common: Common,
  version: string | null,
): DevEnvironmentSpec {
  return {
    type: "dev-environment",
    ...common,
    ide: normalizeIde(raw, bag, version),
    version,
    init: stringsOf(raw.init) ?? [],
    // dstack reads `true` as the default (off), like leaving the key out.
    inactivity_duration:
      parseField(
        bag,
        ["inactivity_duration"],
        raw.inactivity_duration === true ? undefined : raw.inactivity_duration,
        (r) => parseDuration(r, true),
      ) ?? "off",
    ports: normalizePorts(raw.ports, bag),
  };
}

function task(raw: RawObject, bag: DiagnosticBag, common: Common, runArgs: string): TaskSpec {
  checkCommandsOrImage(raw, bag);
  const { nodes, groups } = normalizeTaskNodes(raw, bag);
  warnMultiNode(raw, nodes, bag);
  const sizes = groups?.map((g) => g.nodes) ?? null;
  return {
    type: "task",
    ...common,
    commands: interpolateCommands(stringsOf(raw.commands) ?? [], bag, ["commands"], runArgs, sizes),
    nodes,
    groups:
      groups?.map((g, i) => ({
        ...g,
        commands: interpolateCommands(g.commands, bag, ["groups", i, "commands"], runArgs, sizes),
      })) ?? null,
    ports: normalizePorts(raw.ports, bag),
    inactivity_duration: null,
  };
}

function service(raw: RawObject, bag: DiagnosticBag, common: Common): ServiceSpec {
  const scaling = raw.scaling === undefined || raw.scaling === null ? undefined : asObject(raw.scaling);
  const delay = (key: string): number | null =>
    (parseField(bag, ["scaling", key], scaling?.[key], (r) => parseDuration(r, false)) as
      number | undefined) ?? null;
  const replicas = parseField(bag, ["replicas"], raw.replicas, (r) =>
    parseRange(r, parseCount, "a replica count", "1 or 1..4"),
  ) ?? { min: 1, max: 1 };
  if (replicas.min !== replicas.max && scaling === undefined && !bag.hasErrorAt(["replicas"])) {
    bag.error({
      code: "missing-key",
      path: ["replicas"],
      message: "a range of replicas needs scaling rules",
      hint: "add scaling: {metric: rps, target: 10}, or give one number of replicas",
    });
  }
  return {
    type: "service",
    ...common,
    commands: stringsOf(raw.commands) ?? [],
    port: parseField(bag, ["port"], raw.port, parsePort) ?? { local: null, container: 80 },
    gateway: typeof raw.gateway === "boolean" || typeof raw.gateway === "string" ? raw.gateway : null,
    model: raw.model ?? null,
    https: boolOf(raw.https) ?? null,
    auth: boolOf(raw.auth) ?? true,
    replicas,
    scaling:
      scaling === undefined || typeof scaling.target !== "number"
        ? null
        : {
            metric: "rps",
            target: scaling.target,
            scale_up_delay: delay("scale_up_delay"),
            scale_down_delay: delay("scale_down_delay"),
          },
    ports: [],
    inactivity_duration: null,
  };
}
