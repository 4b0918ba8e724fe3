// Stage 2 for services: the service-only keys on top of the fields every run has (normalize/run.ts),
// with the rules dstack's ServiceConfiguration applies (dstack `core/models/configurations.py`).
import type { DiagnosticBag } from "../diagnostics.js";
import type { Range } from "../grammar/range.js";
import type { YamlSource } from "../source/yaml-source.js";
import type { ReplicaGroupSpec, ScalingSpec } from "../spec-service.js";
import type { ResourcesSpec, ServiceSpec } from "../spec.js";
import { boolOf, parseField, stringsOf, type RawObject } from "./field.js";
import { normalizeProbes } from "./probes.js";
import { normalizeRateLimits } from "./rate-limits.js";
import { checkGroupsAgainstService } from "./replica-conflicts.js";
import { normalizeGroups } from "./replica-groups.js";
import { resolveResources } from "./resources.js";
import { checkScaling, normalizeScaling, parseReplicaCount } from "./scaling.js";
import { normalizeEndpoint } from "./service-endpoint.js";

type Common = Omit<
  ServiceSpec,
  keyof ReturnType<typeof serviceOnly> | "type" | "ports" | "inactivity_duration"
>;

export function normalizeService(
  raw: RawObject,
  source: YamlSource,
  bag: DiagnosticBag,
  common: Common,
  cliResources: Parameters<typeof resolveResources>[0][number],
): ServiceSpec {
  const own = serviceOnly(raw, source, bag);
  return {
    type: "service",
    ...common,
    // With replica groups each group has its own resources and the service's are never used: dstack
    // ignores them, so the spec holds the defaults (after a warning) rather than a value without effect.
    resources: own.groups === null ? common.resources : groupedResources(raw, bag, cliResources),
    ...own,
    ports: [],
    inactivity_duration: null,
  };
}

function serviceOnly(raw: RawObject, source: YamlSource, bag: DiagnosticBag) {
  const endpoint = normalizeEndpoint(raw, bag);
  const { replicas, scaling, groups } = replicasOf(raw, source, bag);
  const commands = stringsOf(raw.commands) ?? [];
  if (
    groups === null &&
    commands.length === 0 &&
    typeof raw.image !== "string" &&
    !bag.hasErrorAt(["commands"])
  )
    bag.error({
      code: "missing-key",
      path: [],
      message: 'missing required key "commands" (or "image")',
      hint: "add commands: [...] to start the service, or image: NAME to run the image's own entrypoint",
    });
  return {
    commands,
    ...endpoint,
    strip_prefix: boolOf(raw.strip_prefix) ?? true,
    auth: boolOf(raw.auth) ?? true,
    replicas,
    scaling,
    groups,
    rate_limits: normalizeRateLimits(raw.rate_limits, bag),
    probes: normalizeProbes(raw.probes, endpoint.model, bag),
  };
}

interface Replicas {
  replicas: Range | null;
  scaling: ScalingSpec | null;
  groups: ReplicaGroupSpec[] | null;
}

/** `replicas: N | a..b` with top-level scaling, or replica groups (`groups`, or a list in `replicas`). */
function replicasOf(raw: RawObject, source: YamlSource, bag: DiagnosticBag): Replicas {
  const present = (v: unknown) => v !== undefined && v !== null;
  if (Array.isArray(raw.groups) || Array.isArray(raw.replicas)) {
    const key = Array.isArray(raw.groups) ? "groups" : "replicas";
    if (key === "groups" && present(raw.replicas)) {
      bag.error({
        code: "conflict",
        path: ["replicas"],
        atKey: true,
        message: "cannot be used together with groups",
        hint: "give each group its own count in groups, and remove replicas",
      });
    }
    const list = raw[key] as unknown[];
    if (list.length === 0) {
      if (!bag.hasErrorAt([key]))
        bag.error({
          code: "invalid-value",
          path: [key],
          message: "the list of replica groups is empty",
          hint: "add a group, e.g. - count: 1\n    commands: [...]; or write replicas: 1",
        });
      return { replicas: null, scaling: null, groups: [] };
    }
    const groups = normalizeGroups(list, key, source, bag);
    checkGroupsAgainstService(raw, groups, key, bag);
    return { replicas: null, scaling: null, groups };
  }
  const replicas = parseField(bag, ["replicas"], raw.replicas, parseReplicaCount) ?? { min: 1, max: 1 };
  const scaling = checkScaling(replicas, normalizeScaling(raw.scaling, bag, ["scaling"]), bag, {
    base: [],
    replicasKey: "replicas",
    written: present(raw.replicas),
    scalingWritten: present(raw.scaling),
  });
  return { replicas, scaling, groups: null };
}

function groupedResources(
  raw: RawObject,
  bag: DiagnosticBag,
  cliResources: Parameters<typeof resolveResources>[0][number],
): ResourcesSpec {
  if (raw.resources !== undefined)
    bag.warning({
      code: "ignored",
      path: ["resources"],
      atKey: true,
      message: "service-level resources are not used when the service has replica groups",
      hint: "set resources in each replica group instead",
    });
  return resolveResources([cliResources]);
}
