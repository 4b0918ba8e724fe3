// How the Docker daemon sees the instance, once the agent knows where it runs. On a VM the daemon is the
// VM's own: "the instance's network" is `host` and every path is the same. Inside a container of the
// daemon it talks to, the instance's network is that container's (`container:<id>`), and a bind-mount
// source must be the host's path: through the container's bind mounts, else through its root filesystem
// as the storage driver exposes it (overlay2's MergedDir). Pure: the detection is self-container.ts.
import { posix } from "node:path";
import type { AgentConfig, HostMount } from "./config.js";
import type { ContainerInfo } from "./docker.js";

/** Where the container's paths live on the host, most specific first. */
export function hostMountsOf(self: ContainerInfo): HostMount[] {
  const mounts: HostMount[] = (self.Mounts ?? []).flatMap((m) =>
    m.Type === "bind" && m.Source && m.Destination ? [{ path: m.Destination, host_path: m.Source }] : [],
  );
  const merged = self.GraphDriver?.Data?.MergedDir;
  if (merged) mounts.push({ path: "/", host_path: merged });
  return mounts.sort((a, b) => b.path.length - a.path.length);
}

/** `path` as the daemon's host sees it: through the longest mount containing it, else unchanged. */
export function toHostPath(mounts: readonly HostMount[], path: string): string {
  const p = posix.normalize(path);
  for (const m of mounts) {
    if (p === m.path) return m.host_path;
    const prefix = m.path.endsWith("/") ? m.path : `${m.path}/`;
    if (p.startsWith(prefix)) return posix.join(m.host_path, p.slice(prefix.length));
  }
  return p;
}

/**
 * The config as it applies here. Inside a container of the daemon (`self` not null): `network_mode` "host"
 * (the instance's network on a VM) becomes `container:<own id>`, and a `host_data_dir` left equal to
 * `data_dir` becomes its host path. Explicit values (the local backend's) are kept as written.
 */
export function applyHostView(config: AgentConfig, self: ContainerInfo | null): AgentConfig {
  if (self === null) return config;
  const mounts = hostMountsOf(self);
  return {
    ...config,
    network_mode: config.network_mode === "host" ? `container:${self.Id}` : config.network_mode,
    host_data_dir:
      config.host_data_dir === config.data_dir ? toHostPath(mounts, config.data_dir) : config.host_data_dir,
    host_mounts: mounts,
  };
}
