// Stage 2 for dev environments, tasks and services: grammar, cross-field rules, merge and defaults.
import type { DiagnosticBag } from "../diagnostics.js";
import { parseDuration } from "../grammar/units.js";
import type { YamlSource } from "../source/yaml-source.js";
import { SPEC_VERSION, type DevEnvironmentSpec, type RunSpec, type TaskSpec } from "../spec.js";
import { normalizeFiles, normalizeRepos } from "./code-mounts.js";
import { declareEnv, resolveEnv } from "./env.js";
import { boolOf, parseField, stringOf, stringsOf, type RawObject } from "./field.js";
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
import { normalizeService } from "./service.js";

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
    repos: normalizeRepos(raw.repos, bag),
    files: normalizeFiles(raw.files, bag),
    build: stringsOf(raw.build) ?? [],
    ...placement,
    max_duration: placement.max_duration ?? ("off" as const),
    stop_duration: placement.stop_duration ?? STOP_DEFAULT,
    idle_duration: placement.idle_duration ?? RUN_IDLE_DEFAULT,
    creation_policy: placement.creation_policy ?? ("reuse-or-create" as const),
    fleets: placement.fleets ?? null,
    pool_name: placement.pool_name ?? null,
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
      return normalizeService(raw, source, bag, common, layers.cli.resources);
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
