// The runtime agent's config for a local instance: the instance is a container on this machine's Docker
// engine, so the agent's runs are siblings that join the instance's network namespace, and bind-mount
// sources are the host paths of the instance's data folder.
import { AGENT_API_VERSION } from "../../runtime-agent/version.js";
import { containerName } from "./instance-ops.js";

export const AGENT_PORT = 8765;

export function localAgentConfig(
  instanceName: string,
  hostDataDir: string,
  /** The self-stop backstop's idle_duration; undefined for instances made before it (no change). */
  idleDurationS?: number | null,
): Record<string, unknown> {
  return {
    api_version: AGENT_API_VERSION,
    listen_port: AGENT_PORT,
    data_dir: "/var/lib/dstack",
    host_data_dir: hostDataDir,
    docker_socket: "/var/run/docker.sock",
    network_mode: `container:${containerName(instanceName)}`,
    instance_name: instanceName,
    ssh_port_base: 10022,
    instance_fs_in_data_dir: true,
    ...(idleDurationS === undefined ? {} : { idle_duration_s: idleDurationS }),
  };
}
