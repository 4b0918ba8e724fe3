// Raw shapes of the run keys dstack 0.22 has beyond the basics (core/models/configurations.py):
// docker-in-docker, shell, priority and multi-node groups. Checked further in normalize/.
import { z } from "zod";
import { ports, resources, stringList } from "./fields.js";

const nodeGroup = z.strictObject({
  name: z.string().optional().describe("The group name (default: its index)."),
  nodes: z.number().int().min(1).optional().describe("Nodes in this group (default 1)."),
  resources: resources.optional(),
  commands: stringList("Shell commands the group's nodes run.").optional(),
  ports: ports.optional(),
});

/** Keys of every run type. */
export const runExtras = {
  docker: z
    .boolean()
    .optional()
    .describe(
      "Docker inside the container (privileged, dstack's dind image). Excludes image, python and nvcc.",
    ),
  shell: z
    .string()
    .optional()
    .describe(
      "The shell that runs commands: sh, bash or an absolute path (default /bin/bash, /bin/sh with image).",
    ),
  priority: z.number().int().min(0).max(100).optional().describe("Run priority, 0..100 (default 0)."),
  dstack: z
    .boolean()
    .optional()
    .describe("Make the dstack server reachable from the run (dstack; there is no server here)."),
};

/** Keys of tasks only. */
export const taskExtras = {
  groups: z
    .array(nodeGroup)
    .optional()
    .describe("Heterogeneous multi-node: node groups, each with nodes, resources, commands and ports."),
};
