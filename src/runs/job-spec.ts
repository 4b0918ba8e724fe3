// Compiled run spec -> the runtime agent's job spec (src/runtime-agent/PROTOCOL.md, "Job spec").
// Pure: every effectful input (run name, repo id, keys, GPU count, base images present) is passed in.
import type { Duration } from "../compiler/grammar/units.js";
import { reveal } from "../compiler/secret.js";
import type { DevEnvironmentSpec, TaskSpec } from "../compiler/spec.js";
import { SPEC_VERSION, type JobSpec, type VolumeMount } from "../runtime-agent/spec.js";

export const DEFAULT_PYTHON = "3.11";

export interface JobSpecOptions {
  runName: string;
  repoId: string;
  sshAuthorizedKeys: string[];
  gpus: number;
  /** Base image tags present on this machine (built by scripts/build-instance-image). */
  availableBaseImages: readonly string[];
}

export type JobSpecResult = { job: JobSpec } | { error: string; hint: string };

export function baseImageTag(python: string): string {
  return `dstack/base:py${python}`;
}

export function buildJobSpec(spec: DevEnvironmentSpec | TaskSpec, opts: JobSpecOptions): JobSpecResult {
  const image = chooseImage(spec, opts.availableBaseImages);
  if ("error" in image) return image;
  const job: JobSpec = {
    spec_version: SPEC_VERSION,
    name: opts.runName,
    kind: spec.type,
    image: image.image,
    // No registry is reachable here: the agent pulls only an image that is absent locally.
    pull: false,
    ...(spec.registry_auth
      ? {
          registry_auth: {
            username: spec.registry_auth.username,
            password: spec.registry_auth.password.reveal(),
          },
        }
      : {}),
    repo_id: opts.repoId,
    repo_upload: true,
    // Revealed: the job travels to the agent over the SSH tunnel only, and the agent never writes env
    // values or credentials to disk. DSTACK_RUN_NAME/REPO_ID/GPUS_NUM are added (and win) in the agent.
    env: Object.fromEntries(Object.entries(spec.env).map(([k, v]) => [k, reveal(v)])),
    ports: spec.ports.map((p) => p.container),
    volumes: spec.volumes.map(toAgentVolume),
    working_dir: spec.working_dir,
    ...(spec.user !== null ? { user: spec.user } : {}),
    privileged: spec.privileged,
    ...(spec.entrypoint !== null ? { entrypoint: spec.entrypoint } : {}),
    commands: spec.type === "task" ? spec.commands : [],
    init: spec.type === "dev-environment" ? spec.init : [],
    shm_size_gb: spec.resources.shm_size,
    gpus: opts.gpus,
    ssh_authorized_keys: opts.sshAuthorizedKeys,
    inactivity_duration: seconds(spec.inactivity_duration),
    max_duration: seconds(spec.max_duration),
  };
  return { job };
}

function chooseImage(
  spec: DevEnvironmentSpec | TaskSpec,
  available: readonly string[],
): { image: string } | { error: string; hint: string } {
  if (spec.image !== null) return { image: spec.image };
  const built = available.length > 0 ? available.join(", ") : "none";
  if (spec.nvcc) {
    return {
      error:
        "nvcc: true needs dstack's CUDA base image, which cannot be had offline on this machine " +
        `(scripts/build-instance-image built only: ${built})`,
      hint: "drop nvcc, or set `image` to a local image that has the CUDA toolkit",
    };
  }
  const python = spec.python ?? DEFAULT_PYTHON;
  const tag = baseImageTag(python);
  if (available.includes(tag)) return { image: tag };
  return {
    error:
      `Python ${python} cannot be had offline on this machine: no ${tag} image ` +
      `(scripts/build-instance-image built only: ${built})`,
    hint: `use python: "${DEFAULT_PYTHON}", or set \`image\` to a local image that has Python ${python}`,
  };
}

// The compiler keeps a network volume's `name` as a list of alternatives (dstack picks the first one
// available in the run's region). The local backend has a single "region" where every named volume
// can exist, so the first alternative is always the one to mount.
function toAgentVolume(v: DevEnvironmentSpec["volumes"][number]): VolumeMount {
  if (v.kind === "instance")
    return { kind: "instance", instance_path: v.instance_path, path: v.path, optional: v.optional };
  const name = v.name[0];
  if (name === undefined) throw new Error(`internal: network volume at ${v.path} has no name`);
  return { kind: "network", name, path: v.path };
}

function seconds(d: Duration | null): number | null {
  return d === null || d === "off" ? null : d;
}
