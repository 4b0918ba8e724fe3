// Stage 2 for dev environments, tasks and services: grammar, cross-field rules, merge and defaults.
import type { DiagnosticBag } from "../diagnostics.js";
import { parseDuration } from "../grammar/units.js";
import type { YamlSource } from "../source/yaml-source.js";
import { SPEC_VERSION, type DevEnvironmentSpec, type Ide, type RunSpec, type TaskSpec } from "../spec.js";
import { normalizeFiles, normalizeRepos } from "./code-mounts.js";
import { declareEnv, resolveEnv } from "./env.js";
import { boolOf, parseField, stringOf, stringsOf, type RawObject } from "./field.js";
import { mergePlacement, type Layers } from "./layers.js";
import { normalizePlacement } from "./placement.js";
import { normalizeResources, resolveResources } from "./resources.js";
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
  const placement = mergePlacement(normalizePlacement(raw, bag), layers);
  const resources = resolveResources([
    normalizeResources(raw.resources, bag, ["resources"]),
    layers.cli.resources,
  ]);
  const env = resolveEnv(declareEnv(raw.env, bag, ["env"]), layers.env, bag, layers.cliBag, ["env"]);
  const version =
    raw.version === undefined ? null : writtenText(raw.version, source.scalarSource(["version"]));
  const common = {
    spec_version: SPEC_VERSION,
    name: layers.cli.name ?? normalizeName(raw.name, bag, "run"),
    image: stringOf(raw.image) ?? null,
    python: normalizePython(raw, source.scalarSource(["python"]), bag),
    nvcc: boolOf(raw.nvcc) ?? false,
    user: normalizeUser(raw.user, bag),
    privileged: boolOf(raw.privileged) ?? false,
    entrypoint: stringOf(raw.entrypoint) ?? null,
    working_dir: normalizeWorkingDir(raw.working_dir, bag),
    registry_auth: normalizeRegistryAuth(raw.registry_auth),
    single_branch: boolOf(raw.single_branch) ?? null,
    env,
    resources,
    volumes: normalizeVolumes(raw.volumes, bag),
    repos: normalizeRepos(raw.repos, bag),
    files: normalizeFiles(raw.files, bag),
    build: stringsOf(raw.build) ?? [],
    ...placement,
    max_duration: placement.max_duration ?? ("off" as const),
    stop_duration: placement.stop_duration ?? STOP_DEFAULT,
    idle_duration: placement.idle_duration ?? RUN_IDLE_DEFAULT,
    creation_policy: placement.creation_policy ?? ("reuse-or-create" as const),
    fleets: placement.fleets ?? null,
  };
  switch (raw.type) {
    case "dev-environment":
      return devEnvironment(raw, bag, common, version);
    case "task":
      return task(raw, bag, common);
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
    ide: (stringOf(raw.ide) ?? "vscode") as Ide,
    version,
    init: stringsOf(raw.init) ?? [],
    inactivity_duration:
      parseField(bag, ["inactivity_duration"], raw.inactivity_duration, (r) => parseDuration(r, true)) ??
      "off",
    ports: normalizePorts(raw.ports, bag),
  };
}

function task(raw: RawObject, bag: DiagnosticBag, common: Common): TaskSpec {
  return {
    type: "task",
    ...common,
    commands: stringsOf(raw.commands) ?? [],
    nodes: typeof raw.nodes === "number" ? raw.nodes : 1,
    ports: normalizePorts(raw.ports, bag),
    inactivity_duration: null,
  };
}
