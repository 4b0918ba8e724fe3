// What a service with replica groups may not also say at the service level (dstack
// `core/models/configurations.py`: `validate_top_level_properties_with_replica_groups`,
// `validate_no_mixed_service_and_group_container_fields`,
// `validate_no_conflicting_image_sources_across_levels`, `validate_replica_groups_have_commands_or_image`).
import type { DiagnosticBag } from "../diagnostics.js";
import type { ReplicaGroupSpec } from "../spec-service.js";
import type { RawObject } from "./field.js";

type GroupField = "image" | "docker" | "privileged" | "python" | "nvcc" | "spot_policy" | "reservation";

/** Whether the service sets a field in a way that conflicts (booleans count only when true, as in dstack). */
function serviceSets(raw: RawObject, field: GroupField): boolean {
  const value = raw[field];
  if (field === "docker" || field === "privileged" || field === "nvcc") return value === true;
  return value !== undefined && value !== null;
}

const groupSets = (group: ReplicaGroupSpec, field: GroupField): boolean => group[field] !== null;

/** Image sources that exclude each other across the two levels: service field -> group fields. */
const EXCLUSIVE: Partial<Record<GroupField, GroupField[]>> = {
  image: ["docker", "python", "nvcc"],
  docker: ["image", "python", "nvcc"],
  python: ["image", "docker"],
  nvcc: ["image", "docker"],
};

export function checkGroupsAgainstService(
  raw: RawObject,
  groups: ReplicaGroupSpec[],
  key: string,
  bag: DiagnosticBag,
): void {
  if (raw.scaling !== undefined && raw.scaling !== null)
    bag.error({
      code: "conflict",
      path: ["scaling"],
      atKey: true,
      message: "service-level scaling is not allowed with replica groups",
      hint: `move scaling into each replica group of ${key} that has a range of replicas`,
    });
  if (Array.isArray(raw.commands) && raw.commands.length > 0)
    bag.error({
      code: "conflict",
      path: ["commands"],
      atKey: true,
      message: "service-level commands are not allowed with replica groups",
      hint: `move commands into each replica group of ${key}`,
    });
  const named = (list: ReplicaGroupSpec[]) => list.map((g) => `"${g.name}"`).join(", ");
  for (const field of [
    "image",
    "docker",
    "privileged",
    "python",
    "nvcc",
    "spot_policy",
    "reservation",
  ] as const) {
    if (!serviceSets(raw, field)) continue;
    const both = groups.filter((g) => groupSets(g, field));
    if (both.length > 0)
      bag.error({
        code: "conflict",
        path: [field],
        atKey: true,
        message: `${field} is set at the service level and in replica group(s) ${named(both)}`,
        hint: `set ${field} in one place: at the service level (every group inherits it) or in the groups`,
      });
    for (const other of EXCLUSIVE[field] ?? []) {
      const clashing = groups.filter((g) => groupSets(g, other));
      if (clashing.length > 0)
        bag.error({
          code: "conflict",
          path: [field],
          atKey: true,
          message: `the service's ${field} conflicts with ${other} in replica group(s) ${named(clashing)}: they choose the image in different ways`,
          hint: `remove ${field} here or ${other} in those groups`,
        });
    }
  }
  const hasImage = typeof raw.image === "string";
  groups.forEach((group, i) => {
    if (group.commands.length === 0 && group.image === null && !hasImage && !bag.hasErrorAt([key, i]))
      bag.error({
        code: "missing-key",
        path: [key, i],
        message: `replica group "${group.name}" has nothing to run: missing required key "commands" (or "image")`,
        hint: "add commands to the group, or an image to the group or to the service",
      });
  });
}
