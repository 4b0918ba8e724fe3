// Field renderers for render.ts: one normalized field back to the text or object the grammar reads.
import type { RepoMount } from "./grammar/code-mounts.js";
import type { GpuSpec } from "./grammar/gpu.js";
import type { PortMapping } from "./grammar/ports.js";
import { formatRange, type Range } from "./grammar/range.js";
import { formatDuration, formatSize } from "./grammar/units.js";
import type { VolumeMount } from "./grammar/volumes.js";
import { reveal, type MaybeSecret } from "./secret.js";
import type { PlacementSpec, ResourcesSpec } from "./spec.js";

export type RawConfig = Record<string, unknown>;

/** Drop null entries: in a spec, null means "not written" (the compiler's own default is the same). */
export function compact(entries: RawConfig): RawConfig {
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== null));
}

export function sizeRange(range: Range): string {
  if (range.min !== null && range.min === range.max) return formatSize(range.min);
  const side = (gb: number | null): string => (gb === null ? "" : formatSize(gb));
  return `${side(range.min)}..${side(range.max)}`;
}

export const port = (p: PortMapping): string => `${p.local ?? "*"}:${p.container}`;

export function env(values: Record<string, MaybeSecret>): RawConfig {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, reveal(value)]));
}

export function volumeMount(mount: VolumeMount): RawConfig {
  return mount.kind === "network"
    ? { name: mount.name, path: mount.path }
    : { instance_path: mount.instance_path, path: mount.path, optional: mount.optional };
}

export function repoMount(repo: RepoMount): RawConfig {
  return compact({
    local_path: repo.local_path,
    url: repo.url,
    branch: repo.branch,
    hash: repo.hash,
    path: repo.path,
    if_exists: repo.if_exists,
  });
}

export function gpu(g: GpuSpec): RawConfig {
  return compact({
    vendor: g.vendor,
    name: g.name,
    count: formatRange(g.count),
    memory: g.memory && sizeRange(g.memory),
    total_memory: g.total_memory && sizeRange(g.total_memory),
    compute_capability: g.compute_capability,
  });
}

export function resources(r: ResourcesSpec): RawConfig {
  return compact({
    cpu: compact({ arch: r.cpu.arch, count: formatRange(r.cpu.count) }),
    memory: sizeRange(r.memory),
    shm_size: r.shm_size === null ? null : formatSize(r.shm_size),
    disk: r.disk && { size: sizeRange(r.disk.size) },
    gpu: r.gpu && gpu(r.gpu),
  });
}

/** Where and how to provision: the fields runs and fleets share. */
export function placement(p: PlacementSpec): RawConfig {
  return {
    backends: p.backends,
    regions: p.regions,
    availability_zones: p.availability_zones,
    instance_types: p.instance_types,
    reservation: p.reservation,
    spot_policy: p.spot_policy,
    max_price: p.max_price,
    retry: p.retry && { on_events: p.retry.on_events, duration: formatDuration(p.retry.duration) },
  };
}
