// The inverse of normalization: a normalized Spec back to a raw configuration, written in the forms the
// grammar reads (ranges `a..b`, sizes `80GB`/`512MB`, durations `2h`, ports `80:8080`, long-form volumes,
// object-form cpu and gpu). Compiling the YAML of `renderConfig(spec)` gives `spec` back, except that
// secrets (env values from outside the file, registry passwords) are written out and return as plain text.
import { posix } from "node:path";
import { formatDuration, formatSize } from "./grammar/units.js";
import { REPO_DIR } from "./normalize/run-fields.js";
import { renderService } from "./render-service.js";
import {
  compact,
  env,
  placement,
  port,
  repoMount,
  resources,
  volumeMount,
  type RawConfig,
} from "./render-fields.js";
import { commands, envValues, nodeGroup, registryAuth, runKeys } from "./render-run-keys.js";
import type { FleetSpec, RunSpec, Spec, SshHostSpec, VolumeSpec } from "./spec.js";

export type { RawConfig };

export function renderConfig(spec: Spec): RawConfig {
  switch (spec.type) {
    case "volume":
      return renderVolume(spec);
    case "fleet":
      return renderFleet(spec);
    default:
      return renderRun(spec);
  }
}

function renderRun(spec: RunSpec): RawConfig {
  const common: RawConfig = {
    type: spec.type,
    name: spec.name,
    image: spec.image,
    python: spec.python,
    nvcc: spec.nvcc || null,
    user: spec.user,
    privileged: spec.privileged,
    entrypoint: spec.entrypoint,
    working_dir: posix.relative(REPO_DIR, spec.working_dir) || ".",
    registry_auth: registryAuth(spec.registry_auth),
    single_branch: spec.single_branch,
    env: envValues(spec.env),
    resources: resources(spec.resources),
    volumes: spec.volumes.map(volumeMount),
    repos: spec.repos.length === 0 ? null : spec.repos.map(repoMount),
    files:
      spec.files.length === 0 ? null : spec.files.map((f) => ({ local_path: f.local_path, path: f.path })),
    build: spec.build,
    ...placement(spec),
    max_duration: formatDuration(spec.max_duration),
    stop_duration: formatDuration(spec.stop_duration),
    idle_duration: formatDuration(spec.idle_duration),
    creation_policy: spec.creation_policy,
    fleets: spec.fleets,
    pool_name: spec.pool_name,
    ...runKeys(spec),
  };
  switch (spec.type) {
    case "dev-environment":
      return compact({
        ...common,
        ide: spec.ide,
        version: spec.version,
        init: spec.init,
        inactivity_duration: formatDuration(spec.inactivity_duration),
        ports: spec.ports.map(port),
      });
    case "task":
      return compact({
        ...common,
        commands: commands(spec.commands),
        // With groups, the nodes are the groups' (dstack rejects nodes next to groups).
        nodes: spec.groups === null ? spec.nodes : null,
        groups: spec.groups?.map(nodeGroup) ?? null,
        ports: spec.ports.map(port),
      });
    case "service":
      return compact({ ...common, ...renderService(spec) });
  }
}

const host = (h: SshHostSpec): RawConfig => compact({ ...h });

function renderFleet(spec: FleetSpec): RawConfig {
  const ssh = spec.ssh_config;
  return compact({
    type: spec.type,
    name: spec.name,
    nodes: compact({ ...spec.nodes }),
    placement: spec.placement,
    resources: spec.resources && resources(spec.resources),
    env: env(spec.env),
    blocks: spec.blocks,
    ssh_config: ssh && {
      hosts: ssh.hosts.map(host),
      ...compact({ proxy_jump: ssh.proxy_jump && compact({ ...ssh.proxy_jump, internal_ip: null }) }),
      ...compact({ network: ssh.network }),
    },
    ...placement(spec),
    idle_duration: formatDuration(spec.idle_duration),
  });
}

function renderVolume(spec: VolumeSpec): RawConfig {
  return compact({
    ...spec,
    spec_version: null,
    size: spec.size === null ? null : formatSize(spec.size),
  });
}
