// A task's nodes: `nodes: N` (one homogeneous group) or `groups:` (heterogeneous node groups, dstack
// 0.21.2+), with dstack's rules (TaskConfiguration, NodeGroup): the two exclude each other; with groups,
// top-level commands, ports and entrypoint are not allowed; each group needs commands unless the task has
// an image; names default to the group's index and are unique; a group's resources are its own (the
// task's top-level resources are not inherited).
import type { DiagnosticBag, Path } from "../diagnostics.js";
import type { NodeGroupSpec } from "../spec.js";
import { asObject, stringOf, stringsOf, type RawObject } from "./field.js";
import { normalizeResources, resolveResources } from "./resources.js";
import { normalizePorts } from "./run-fields.js";

const GROUP_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;

export interface TaskNodes {
  nodes: number;
  groups: NodeGroupSpec[] | null;
}

export function normalizeTaskNodes(raw: RawObject, bag: DiagnosticBag): TaskNodes {
  const nodes = typeof raw.nodes === "number" && !bag.hasErrorAt(["nodes"]) ? raw.nodes : 1;
  if (!Array.isArray(raw.groups) || bag.hasErrorAt(["groups"])) return { nodes, groups: null };
  if (raw.nodes !== undefined) {
    bag.error({
      code: "conflict",
      path: ["groups"],
      atKey: true,
      message: "nodes and groups cannot be used together",
      hint: "give each group its nodes: count, and remove the top-level nodes",
    });
  }
  for (const key of ["commands", "ports", "entrypoint"] as const) {
    if (raw[key] === undefined || (Array.isArray(raw[key]) && raw[key].length === 0)) continue;
    bag.error({
      code: "conflict",
      path: [key],
      atKey: true,
      message: `top-level ${key} is not allowed with groups`,
      hint:
        key === "entrypoint" ? "write each group's commands instead" : `write ${key} in each group instead`,
    });
  }
  if (raw.groups.length === 0) {
    bag.error({
      code: "invalid-value",
      path: ["groups"],
      message: "the list is empty: at least one node group is needed",
      hint: "remove groups for a single-node task, or use nodes: N",
    });
    return { nodes, groups: null };
  }
  const hasImage = typeof raw.image === "string";
  const seen = new Set<string>();
  const groups = raw.groups.map((item, i) => group(asObject(item), i, bag, hasImage, seen));
  return { nodes: groups.reduce((sum, g) => sum + g.nodes, 0), groups };
}

function group(
  raw: RawObject,
  index: number,
  bag: DiagnosticBag,
  hasImage: boolean,
  seen: Set<string>,
): NodeGroupSpec {
  const at = (...rest: (string | number)[]): Path => ["groups", index, ...rest];
  const name = stringOf(raw.name) ?? String(index);
  if (!GROUP_NAME.test(name))
    bag.error({
      code: "invalid-value",
      path: at("name"),
      message: `${JSON.stringify(name)} is not a group name: 1 to 40 lowercase letters, digits and dashes, starting with a letter or digit`,
      hint: `e.g. name: ${
        name
          .toLowerCase()
          .replace(/[^a-z0-9-]+/g, "-")
          .replace(/^-+/, "") || "workers"
      }`,
    });
  else if (seen.has(name))
    bag.error({
      code: "duplicate",
      path: at("name"),
      message: `two node groups are named ${JSON.stringify(name)}`,
      hint: "give each group its own name (unnamed groups are named by their index)",
    });
  seen.add(name);
  const commands = stringsOf(raw.commands) ?? [];
  if (commands.length === 0 && !hasImage && !bag.hasErrorAt(at()))
    bag.error({
      code: "missing-key",
      path: at(),
      message: `node group ${JSON.stringify(name)} has no commands, and the task has no image`,
      hint: "add commands: [...] to the group, or image: at the task level",
    });
  return {
    name,
    nodes: typeof raw.nodes === "number" && !bag.hasErrorAt(at("nodes")) ? raw.nodes : 1,
    resources: resolveResources([normalizeResources(raw.resources, bag, at("resources"))]),
    commands,
    ports: normalizePorts(raw.ports, bag, at("ports")),
  };
}
