// Replica groups: `groups: [...]`, or the older `replicas: [...]` with `count`, as dstack reads them
// (dstack `core/models/configurations.py` ReplicaGroup and the ServiceConfigurationParams validators).
import type { DiagnosticBag, Path } from "../diagnostics.js";
import type { YamlSource } from "../source/yaml-source.js";
import type { ReplicaGroupSpec, RouterType } from "../spec-service.js";
import type { SpotPolicy } from "../spec.js";
import { asObject, boolOf, parseField, stringOf, stringsOf, type RawObject } from "./field.js";
import { normalizeResources, resolveResources } from "./resources.js";
import { PYTHON_VERSIONS, writtenText } from "./run-fields.js";
import { checkScaling, normalizeScaling, parseReplicaCount } from "./scaling.js";

const GROUP_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;

export function normalizeGroups(
  list: unknown[],
  key: "groups" | "replicas",
  source: YamlSource,
  bag: DiagnosticBag,
): ReplicaGroupSpec[] {
  const groups = list.map((item, i) => normalizeGroup(asObject(item), [key, i], i, source, bag));
  const seen = new Set<string>();
  groups.forEach((group, i) => {
    if (seen.has(group.name))
      bag.error({
        code: "duplicate",
        path: [key, i, "name"],
        message: `replica group name "${group.name}" is used twice`,
        hint: "give each replica group its own name",
      });
    seen.add(group.name);
  });
  checkRouters(groups, key, bag);
  return groups;
}

function normalizeGroup(
  raw: RawObject,
  base: Path,
  index: number,
  source: YamlSource,
  bag: DiagnosticBag,
): ReplicaGroupSpec {
  const name = stringOf(raw.name) ?? String(index);
  if (raw.name !== undefined && raw.name !== null && !GROUP_NAME.test(name))
    bag.error({
      code: "invalid-value",
      path: [...base, "name"],
      message: `"${name}" is not a valid replica group name: use 1 to 40 lowercase letters, digits and dashes, starting with a letter or digit`,
      hint: `e.g. name: ${
        name
          .toLowerCase()
          .replace(/[^a-z0-9-]+/g, "-")
          .replace(/^-+/, "") || "prefill"
      }`,
    });
  const countKey = countKeyOf(raw, base, bag);
  const replicas = parseField(bag, [...base, countKey], raw[countKey], parseReplicaCount) ?? {
    min: 1,
    max: 1,
  };
  const written = raw[countKey] !== undefined && raw[countKey] !== null;
  const scaling = checkScaling(replicas, normalizeScaling(raw.scaling, bag, [...base, "scaling"]), bag, {
    base,
    replicasKey: countKey,
    written,
    scalingWritten: raw.scaling !== undefined && raw.scaling !== null,
  });
  checkImageSources(raw, base, bag);
  return {
    name,
    replicas,
    scaling,
    resources: resolveResources([normalizeResources(raw.resources, bag, [...base, "resources"])]),
    spot_policy: (stringOf(raw.spot_policy) as SpotPolicy | undefined) ?? null,
    reservation: stringOf(raw.reservation) ?? null,
    commands: stringsOf(raw.commands) ?? [],
    image: stringOf(raw.image) ?? null,
    python: groupPython(raw, [...base, "python"], source, bag),
    nvcc: boolOf(raw.nvcc) ?? null,
    docker: boolOf(raw.docker) ?? null,
    privileged: boolOf(raw.privileged) ?? null,
    router: raw.router === undefined || raw.router === null ? null : { type: routerType(raw.router) },
  };
}

/** `replicas` is the current name, `count` the older one; dstack takes `replicas` when both are set. */
function countKeyOf(raw: RawObject, base: Path, bag: DiagnosticBag): "replicas" | "count" {
  const has = (key: string) => raw[key] !== undefined && raw[key] !== null;
  if (has("replicas")) {
    if (has("count"))
      bag.warning({
        code: "ignored",
        path: [...base, "count"],
        atKey: true,
        message: "count is ignored: replicas is set too (count is its older name)",
        hint: "remove count",
      });
    return "replicas";
  }
  if (has("count")) return "count";
  if (!bag.hasErrorAt(base))
    bag.error({
      code: "missing-key",
      path: base,
      message: 'missing required key "count" (or "replicas") in the replica group',
      hint: "add count: 1, or a range with scaling rules: count: 1..4",
    });
  return "count";
}

const routerType = (raw: unknown): RouterType => (asObject(raw).type === "dynamo" ? "dynamo" : "sglang");

/** Within a group, dstack refuses image with python, and docker with image, python or nvcc. */
function checkImageSources(raw: RawObject, base: Path, bag: DiagnosticBag): void {
  const set = (key: string) => raw[key] !== undefined && raw[key] !== null && raw[key] !== false;
  const conflict = (key: string, other: string, hint: string) =>
    bag.error({
      code: "conflict",
      path: [...base, key],
      atKey: true,
      message: `cannot be used together with ${other} in a replica group`,
      hint,
    });
  if (set("image") && set("python"))
    conflict("python", "image", "remove python (install it in the image) or remove image");
  if (raw.docker === true) {
    for (const other of ["image", "python", "nvcc"].filter(set))
      conflict(
        "docker",
        other,
        `docker: true runs dstack's Docker-in-Docker image: remove ${other} or docker`,
      );
    if (raw.privileged === false)
      conflict(
        "privileged",
        "docker: true",
        "Docker in Docker needs privileged mode: remove privileged: false",
      );
  }
}

/** `python: 3.10` unquoted is the float 3.1 in YAML: read the text as written, as for the service. */
function groupPython(raw: RawObject, path: Path, source: YamlSource, bag: DiagnosticBag): string | null {
  if (raw.python === undefined || raw.python === null || bag.hasErrorAt(path)) return null;
  const text = writtenText(raw.python, source.scalarSource(path));
  if ((PYTHON_VERSIONS as readonly string[]).includes(text)) return text;
  bag.error({
    code: "invalid-value",
    path,
    message: `Python ${JSON.stringify(text)} is not available`,
    hint: `use one of ${PYTHON_VERSIONS.join(", ")} (quote it: python: "3.10")`,
  });
  return null;
}

/** dstack allows one router group, and (for now) with exactly one replica. */
function checkRouters(groups: ReplicaGroupSpec[], key: string, bag: DiagnosticBag): void {
  const routed = groups.flatMap((group, i) => (group.router === null ? [] : [i]));
  for (const i of routed.slice(1))
    bag.error({
      code: "conflict",
      path: [key, i, "router"],
      atKey: true,
      message: `only one replica group may run a router; group "${groups[routed[0]!]!.name}" already does`,
      hint: "remove router from all groups but one",
    });
  const first = routed[0];
  if (first === undefined) return;
  const { min, max } = groups[first]!.replicas;
  if ((min !== 1 || max !== 1) && !bag.hasErrorAt([key, first]))
    bag.error({
      code: "invalid-value",
      path: [key, first],
      message: `the router group must have exactly 1 replica, not ${min === max ? min : `${min}..${max}`}`,
      hint: "write count: 1 in the router group (and drop its scaling)",
    });
}
