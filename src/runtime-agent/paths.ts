// Where a run's files live, seen from the agent (data_dir) and from the Docker daemon (host_data_dir).
// On a VM both are the same; on the local backend the agent runs inside the instance container and the
// daemon is the host's, so bind-mount sources must name the host's side (host_data_dir, host_mounts).
import { join } from "node:path";
import type { AgentConfig } from "./config.js";
import { toHostPath } from "./host-view.js";

export function workflowDir(config: AgentConfig, run: string, side: "agent" | "host"): string {
  return join(side === "agent" ? config.data_dir : config.host_data_dir, "runs", run, "workflow");
}

/** A build's files: its script, its repo (mounted at the workdir) and its log once the container is gone. */
export function buildDir(config: AgentConfig, build: string, side: "agent" | "host"): string {
  return join(side === "agent" ? config.data_dir : config.host_data_dir, "builds", build);
}

/** An instance volume's path on the instance, as the agent and as the daemon see it. */
export function instancePath(config: AgentConfig, instancePath: string, side: "agent" | "host"): string {
  if (!config.instance_fs_in_data_dir)
    return side === "agent" ? instancePath : toHostPath(config.host_mounts, instancePath);
  return join(side === "agent" ? config.data_dir : config.host_data_dir, "instance-fs", instancePath);
}

export function statePath(config: AgentConfig): string {
  return join(config.data_dir, "state.json");
}
