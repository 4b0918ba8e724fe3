// The body of Docker's POST /containers/create for a run. Pure: the caller has already decided which
// instance volumes exist and whether the NVIDIA runtime is there.
import type { AgentConfig } from "./config.js";
import { instancePath, workflowDir } from "./paths.js";
import { buildContainerScript } from "./script.js";
import type { JobSpec } from "./spec.js";
import { systemEnv } from "./system-env.js";

export interface ContainerContext {
  sshPort: number;
  /** instance_path values of optional instance volumes that do not exist (skipped) */
  missingOptional: string[];
  /** Network volumes mounted from a block device on the VM (block-volume.ts): name -> host path. */
  networkSources?: Readonly<Record<string, string>>;
  nvidia: boolean;
  /** This node's address (system-env.ts nodeAddress): DSTACK_MASTER_NODE_IP of a one-node run. */
  nodeIp?: string;
  /**
   * A task without commands runs the image's own entrypoint and command (dstack: "commands or image"),
   * after sshd: they are passed to the script as its arguments.
   */
  imageCommand?: string[];
}

export function runLabels(config: AgentConfig, run: string): Record<string, string> {
  return { "dstack.run": run, "dstack.instance": config.instance_name, "dstack.managed": "true" };
}

export function containerName(config: AgentConfig, run: string): string {
  return `${config.instance_name}-${run}`.replace(/[^a-zA-Z0-9_.-]/g, "-");
}

export function buildCreateBody(
  config: AgentConfig,
  spec: JobSpec,
  ctx: ContainerContext,
): Record<string, unknown> {
  const binds = [`${workflowDir(config, spec.name, "host")}:/workflow`];
  for (const v of spec.volumes) {
    if (v.kind === "network") binds.push(`${ctx.networkSources?.[v.name] ?? v.name}:${v.path}`);
    else if (!ctx.missingOptional.includes(v.instance_path)) {
      binds.push(`${instancePath(config, v.instance_path, "host")}:${v.path}`);
    }
  }
  const env = { ...spec.env, ...systemEnv(spec, ctx.nodeIp ?? "127.0.0.1") };
  const hostConfig: Record<string, unknown> = {
    NetworkMode: config.network_mode,
    Binds: binds,
    Privileged: spec.privileged,
  };
  if (spec.shm_size_gb !== null) hostConfig.ShmSize = Math.round(spec.shm_size_gb * 1024 ** 3);
  if (spec.gpus > 0 && ctx.nvidia) {
    hostConfig.DeviceRequests = [{ Driver: "nvidia", Count: spec.gpus, Capabilities: [["gpu"]] }];
  }
  return {
    Image: spec.image,
    Entrypoint: ["/bin/sh", "-c"],
    // With /bin/sh -c SCRIPT NAME ARGS..., the image's command is the script's "$@".
    Cmd: [buildContainerScript(spec, ctx.sshPort), "dstack-run", ...(ctx.imageCommand ?? [])],
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    WorkingDir: spec.working_dir,
    ...(spec.user ? { User: spec.user } : {}),
    Labels: runLabels(config, spec.name),
    HostConfig: hostConfig,
  };
}
