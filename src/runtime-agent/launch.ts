// Getting a run's container going: the image (local, else pulled), volumes, then create and start.
import { existsSync, mkdirSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { mountBlockVolume, systemBlockOps, type BlockOps } from "./block-volume.js";
import { buildCreateBody, containerName } from "./container-config.js";
import { finish, save, type AgentContext } from "./context.js";
import { DockerError } from "./docker-http.js";
import { errorText, log } from "./log.js";
import { instancePath } from "./paths.js";
import type { RegistryAuth } from "./spec.js";
import type { RunRecord } from "./state.js";
import { nodeAddress } from "./system-env.js";

/**
 * Pulls when the image is missing locally, or always when `always` (then a local copy is the fallback).
 * null when the image is there, else why it cannot be. `pulling` is called before a pull.
 */
export async function ensureImage(
  ctx: AgentContext,
  who: string,
  image: string,
  always: boolean,
  auth: RegistryAuth | undefined,
  pulling: () => void,
): Promise<string | null> {
  const present = await ctx.docker.imageExists(image);
  if (present && !always) return null;
  pulling();
  log(`${who}: pulling ${image}`);
  try {
    await ctx.docker.pull(image, auth);
  } catch (err) {
    if (!present) return `cannot pull ${image}: ${errorText(err)}`;
    log(`${who}: pull failed, using the local ${image}: ${errorText(err)}`);
  }
  return null;
}

/** A run's image: `pull` says always; an image that cannot be had ends the run (image_pull_failed). */
export async function prepareImage(ctx: AgentContext, r: RunRecord, auth?: RegistryAuth): Promise<boolean> {
  const why = await ensureImage(ctx, `run ${r.spec.name}`, r.spec.image, r.spec.pull, auth, () => {
    r.status = "pulling";
    save(ctx);
  });
  if (why !== null) finish(ctx, r, "failed", "image_pull_failed", why);
  return why === null;
}

export async function startContainer(
  ctx: AgentContext,
  r: RunRecord,
  blockOps: BlockOps = systemBlockOps,
): Promise<void> {
  const { config, docker } = ctx;
  const spec = r.spec;
  const nvidia = spec.gpus > 0 && (await docker.runtimes()).includes("nvidia");
  if (spec.gpus > 0 && !nvidia) {
    return finish(
      ctx,
      r,
      "failed",
      "error",
      `${spec.gpus} GPU(s) requested but Docker has no nvidia runtime`,
    );
  }
  const missingOptional: string[] = [];
  const networkSources: Record<string, string> = {};
  for (const v of spec.volumes) {
    if (v.kind === "network") {
      // A cloud volume's block device, mounted on the VM; else (locally, or no device) a Docker volume.
      const mounted = mountBlockVolume(v, blockOps, (line) => log(`run ${spec.name}: ${line}`));
      if (mounted !== undefined) networkSources[v.name] = mounted;
      else await docker.ensureVolume(v.name, { "dstack.managed": "true", "dstack.volume": v.name });
    } else if (!existsSync(instancePath(config, v.instance_path, "agent"))) {
      if (v.optional) missingOptional.push(v.instance_path);
      else mkdirSync(instancePath(config, v.instance_path, "agent"), { recursive: true });
    }
  }
  // A task without commands (and without an entrypoint of its own) runs what the image would run.
  const imageCommand =
    spec.kind === "task" && spec.commands.length === 0 && spec.entrypoint === undefined
      ? await docker.imageCommand(spec.image)
      : [];
  const nodeIp = nodeAddress(networkInterfaces());
  const body = buildCreateBody(config, spec, {
    sshPort: r.ssh_port,
    missingOptional,
    networkSources,
    nvidia,
    nodeIp,
    imageCommand,
  });
  const name = containerName(config, spec.name);
  let id: string;
  try {
    id = await docker.create(name, body);
  } catch (err) {
    if (!(err instanceof DockerError && err.status === 409)) throw err;
    log(`run ${spec.name}: removing a stale container named ${name}`);
    await docker.remove(name);
    id = await docker.create(name, body);
  }
  Object.assign(r, { container_id: id, connections: {}, last_active_at: null });
  save(ctx);
  await docker.start(id);
  if (r.status === "stopped") return docker.stop(id); // stopped while starting
  Object.assign(r, { status: "running", started_at: ctx.now() });
  log(`run ${spec.name}: container ${id.slice(0, 12)} running, sshd port ${r.ssh_port}`);
  save(ctx);
}
