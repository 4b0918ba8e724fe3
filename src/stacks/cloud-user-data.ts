// User data of a cloud instance: the same cloud-init document a local instance gets, with the agent
// configured for a VM (runs on the host network, data in /var/lib/dstack, systemd restarts it). Booted
// inside a container of the Docker engine it uses (a fake-cloud instance), the agent finds out and takes
// that container's network and host paths instead (src/runtime-agent/host-view.ts): same user data.
import { AGENT_API_VERSION } from "../runtime-agent/version.js";
import { renderUserData } from "../templates/user-data.js";

export const CLOUD_AGENT_PORT = 8765;

export function cloudAgentConfig(
  instanceName: string,
  idleDurationS: number | null = null,
): Record<string, unknown> {
  return {
    api_version: AGENT_API_VERSION,
    listen_port: CLOUD_AGENT_PORT,
    data_dir: "/var/lib/dstack",
    docker_socket: "/var/run/docker.sock",
    network_mode: "host",
    instance_name: instanceName,
    ssh_port_base: 10022,
    // The self-stop backstop (src/runtime-agent/self-stop.ts); absent for instances made before it, so
    // their user data, and so their stacks, do not change.
    ...(idleDurationS === null ? {} : { idle_duration_s: idleDurationS }),
  };
}

export function cloudUserData(
  agentSource: string,
  instanceName: string,
  keys: readonly string[],
  idleDurationS: number | null = null,
): string {
  return renderUserData({
    agentSource,
    agentConfig: cloudAgentConfig(instanceName, idleDurationS),
    sshAuthorizedKeys: keys,
    instanceName,
  });
}
