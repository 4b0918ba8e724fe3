// What a build hands to Docker (pure): the script, the build container's create body, and the config its
// commit gets so the image behaves as the base does.
import type { BuildSpec } from "./build-spec.js";
import type { AgentConfig } from "./config.js";
import { buildDir } from "./paths.js";
import { shq } from "./script.js";

/**
 * Where the script is mounted in the build container. It is a file on the instance, not the container's
 * command, because Docker's commit records the container's command and env in the image's
 * container_config, and the build env may hold secrets.
 */
export const BUILD_SCRIPT = "/tmp/.dstack-build.sh";

/** One stream (stderr into stdout, so the log keeps its order), the env, the workdir, the commands. */
export function buildScript(spec: BuildSpec): string {
  const env = Object.entries(spec.env).map(([k, v]) => `export ${k}=${shq(v)}`);
  return ["exec 2>&1", "set -e", ...env, `cd ${shq(spec.workdir)}`, ...spec.commands, ""].join("\n");
}

export function buildContainerName(config: AgentConfig, build: string): string {
  return `${config.instance_name}-${build}.build`.replace(/[^a-zA-Z0-9_.-]/g, "-");
}

/** Labelled like runs (dstack.instance: the instance's deletion removes it), in the runs' network. */
export function buildCreateBody(config: AgentConfig, spec: BuildSpec): Record<string, unknown> {
  const dir = buildDir(config, spec.name, "host");
  return {
    Image: spec.base_image,
    // An Entrypoint of its own and no Cmd: the base's Cmd is not appended, nor merged into the commit.
    Entrypoint: ["/bin/sh", BUILD_SCRIPT],
    Labels: { "dstack.build": spec.name, "dstack.instance": config.instance_name, "dstack.managed": "true" },
    HostConfig: {
      NetworkMode: config.network_mode,
      Binds: [`${dir}/repo:${spec.workdir}`, `${dir}/build.sh:${BUILD_SCRIPT}:ro`],
    },
  };
}

export interface ImageConfig {
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Env?: string[] | null;
  WorkingDir?: string;
  Labels?: Record<string, string> | null;
}

/**
 * The committed image's config: the base's Entrypoint, Cmd, Env and WorkingDir. Docker's commit fills
 * what this leaves empty from the build container (a null Entrypoint would become the build's, so it is
 * []), and adds the container's labels: those are blanked, or a container run from the image would carry
 * dstack.instance and be removed with the build's instance.
 */
export function commitConfig(base: ImageConfig, labels: Record<string, string> = {}): ImageConfig {
  return {
    Entrypoint: base.Entrypoint ?? [],
    Cmd: base.Cmd ?? null,
    Env: base.Env ?? [],
    WorkingDir: base.WorkingDir ?? "",
    Labels: { ...base.Labels, ...labels, "dstack.build": "", "dstack.instance": "", "dstack.managed": "" },
  };
}
