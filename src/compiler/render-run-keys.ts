// Renderers for the run keys added for dstack 0.22 (docker, shell, priority, the profile extras, node
// groups) and for text that goes through interpolation again when the rendered file is compiled: such
// text is escaped so that it reads back as itself.
import { escapeInterpolation } from "./grammar/interpolation.js";
import { formatDuration } from "./grammar/units.js";
import { commandsScope, ENV_SCOPE } from "./normalize/interpolation.js";
import { compact, port, resources, type RawConfig } from "./render-fields.js";
import { reveal, type MaybeSecret } from "./secret.js";
import type { InstanceSelector, NodeGroupSpec, RunSpec } from "./spec.js";

const COMMANDS = commandsScope("");
const NO_VALUES = { values: {}, deferred: ENV_SCOPE.deferred };

export const commands = (list: readonly string[]): string[] =>
  list.map((c) => escapeInterpolation(c, COMMANDS));

export function envValues(values: Record<string, MaybeSecret>): RawConfig {
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => [name, escapeInterpolation(reveal(value), ENV_SCOPE)]),
  );
}

export function registryAuth(auth: RunSpec["registry_auth"]): RawConfig | null {
  return (
    auth && {
      username: escapeInterpolation(auth.username, NO_VALUES),
      password: escapeInterpolation(auth.password.reveal(), NO_VALUES),
    }
  );
}

function instance(selector: InstanceSelector): RawConfig | string {
  if ("fleet" in selector) {
    const { project, name } = selector.fleet;
    return { fleet: project === null ? name : `${project}/${name}`, instance: selector.instance };
  }
  return "name" in selector ? selector.name : { hostname: selector.hostname };
}

export function runKeys(spec: RunSpec): RawConfig {
  const policy = spec.utilization_policy;
  return {
    docker: spec.docker || null,
    shell: spec.shell,
    priority: spec.priority,
    utilization_policy: policy && {
      min_gpu_utilization: policy.min_gpu_utilization,
      time_window: formatDuration(policy.time_window),
    },
    schedule: spec.schedule && { cron: spec.schedule.cron },
    startup_order: spec.startup_order,
    stop_criteria: spec.stop_criteria,
    instances: spec.instances?.map(instance) ?? null,
    tags: spec.tags,
  };
}

export function nodeGroup(group: NodeGroupSpec): RawConfig {
  return compact({
    name: group.name,
    nodes: group.nodes,
    resources: resources(group.resources),
    commands: commands(group.commands),
    ports: group.ports.map(port),
  });
}
