// The agent's configuration: a JSON file whose path is the first argument (see PROTOCOL.md).
import { readFileSync } from "node:fs";
import { Fields, isObject } from "./fields.js";
import { AGENT_API_VERSION, parseVersion } from "./version.js";

/** A path the agent sees (`path`) and where the Docker daemon's host has it (`host_path`). */
export interface HostMount {
  path: string;
  host_path: string;
}

export interface AgentConfig {
  api_version: string;
  listen_port: number;
  data_dir: string;
  /** data_dir as the Docker daemon sees it (bind mount sources); equals data_dir on a VM */
  host_data_dir: string;
  docker_socket: string;
  /** "host" on a VM; "container:<instance container>" on the local backend */
  network_mode: string;
  instance_name: string;
  ssh_port_base: number;
  /** where tcp and tcp6 of the runs' network namespace are read */
  proc_net_dir: string;
  poll_interval_ms: number;
  /** a connection counts as activity once it has been alive longer than this (dstack: 10 s) */
  min_connection_age_ms: number;
  /** instance volumes live under data_dir/instance-fs (local backend) instead of the host's root */
  instance_fs_in_data_dir: boolean;
  /**
   * The instance's idle_duration when it was created (seconds; null: never torn down). Past it and a
   * grace period with no job, the agent powers the instance off itself (self-stop.ts).
   */
  idle_duration_s: number | null;
  /** not read from the file: detected at start (host-view.ts); empty on a VM, where paths are the same */
  host_mounts: HostMount[];
}

export function parseConfig(raw: unknown): AgentConfig {
  if (!isObject(raw)) throw new Error("config: expected a JSON object");
  const f = new Fields(raw, "config.");
  const dataDir = f.str("data_dir", "/var/lib/dstack");
  const config: AgentConfig = {
    api_version: f.str("api_version", AGENT_API_VERSION),
    listen_port: f.num("listen_port", 8765),
    data_dir: dataDir,
    host_data_dir: f.str("host_data_dir", dataDir),
    docker_socket: f.str("docker_socket", "/var/run/docker.sock"),
    network_mode: f.str("network_mode", "host"),
    instance_name: f.str("instance_name"),
    ssh_port_base: f.num("ssh_port_base", 10022),
    proc_net_dir: f.str("proc_net_dir", "/proc/self/net"),
    poll_interval_ms: f.num("poll_interval_ms", 2000),
    min_connection_age_ms: f.num("min_connection_age_ms", 10_000),
    instance_fs_in_data_dir: f.bool("instance_fs_in_data_dir", false),
    idle_duration_s: f.optNum("idle_duration_s"),
    host_mounts: [],
  };
  const v = parseVersion(config.api_version);
  const mine = parseVersion(AGENT_API_VERSION);
  if (!v || !mine || v[0] !== mine[0]) {
    f.errors.push(
      `config.api_version: ${config.api_version} is not supported by this agent (${AGENT_API_VERSION})`,
    );
  }
  if (f.errors.length) throw new Error(f.errors.join("; "));
  return config;
}

export function loadConfig(path: string): AgentConfig {
  return parseConfig(JSON.parse(readFileSync(path, "utf8")));
}
