// Compiled run spec -> the runtime agent's job spec (src/runtime-agent/PROTOCOL.md, "Job spec").
// Pure: every effectful input (run name, repo id, keys, GPU count, base images present) is passed in.
import { interpolate } from "../compiler/grammar/interpolation.js";
import type { Duration } from "../compiler/grammar/units.js";
import { VOLUME_SCOPE } from "../compiler/normalize/interpolation.js";
import { reveal } from "../compiler/secret.js";
import type { DevEnvironmentSpec, TaskSpec } from "../compiler/spec.js";
import { SPEC_VERSION, type JobSpec, type VolumeMount } from "../runtime-agent/spec.js";
import { imageRequired } from "./image-required.js";

export const DEFAULT_PYTHON = "3.11";

export interface JobSpecOptions {
  runName: string;
  repoId: string;
  sshAuthorizedKeys: string[];
  gpus: number;
  /** Base image tags present on this machine (built by scripts/build-instance-image). */
  availableBaseImages: readonly string[];
  /** The Docker volume a network volume's name binds (a recorded volume's); default: the name itself. */
  volumeName?: (name: string) => string;
  /** A cloud volume attached to the instance: the guest devices it may appear as (run-volumes.ts). */
  volumeDevices?: (name: string) => string[] | undefined;
  /** The prebuilt image of the spec's `build` (dstack build): the run starts from it, not from the base. */
  prebuiltImage?: PrebuiltImageRef;
}

/** A prebuilt image and, for a cloud's registry, the short-lived credentials to pull it (never stored). */
export interface PrebuiltImageRef {
  ref: string;
  auth?: { username: string; password: string };
}

export type JobSpecResult = { job: JobSpec } | { error: string; hint: string };

export function baseImageTag(python: string): string {
  return `dstack/base:py${python}`;
}

export function buildJobSpec(spec: DevEnvironmentSpec | TaskSpec, opts: JobSpecOptions): JobSpecResult {
  const refused = cannotRunHere(spec);
  if (refused !== undefined) return refused;
  const image =
    opts.prebuiltImage === undefined
      ? chooseImage(spec, opts.availableBaseImages)
      : { image: opts.prebuiltImage.ref };
  if ("error" in image) return image;
  // dstack's dind image starts its Docker daemon with start-dockerd before anything else.
  const dind = spec.docker ? [DIND_START] : [];
  const job: JobSpec = {
    spec_version: SPEC_VERSION,
    name: opts.runName,
    kind: spec.type,
    image: image.image,
    // No registry is reachable here: the agent pulls only an image that is absent locally.
    pull: false,
    // A prebuilt image is pulled with its registry's credentials (the base's are the build's business).
    ...(opts.prebuiltImage !== undefined
      ? opts.prebuiltImage.auth === undefined
        ? {}
        : { registry_auth: { ...opts.prebuiltImage.auth } }
      : spec.registry_auth
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
    // values or credentials to disk. dstack's system variables (DSTACK_RUN_NAME, DSTACK_NODE_RANK, ...)
    // are added, and win, in the agent (src/runtime-agent/system-env.ts).
    env: Object.fromEntries(Object.entries(spec.env).map(([k, v]) => [k, reveal(v)])),
    ports: spec.ports.map((p) => p.container),
    volumes: spec.volumes.map((v) => toAgentVolume(v, opts.volumeName, opts.volumeDevices)),
    working_dir: spec.working_dir,
    ...(spec.user !== null ? { user: spec.user } : {}),
    privileged: spec.privileged,
    ...entrypointOf(spec),
    // A task without commands (it has an image) runs the image's own command: the agent finds it.
    commands: spec.type === "task" ? [...dind, ...spec.commands] : [],
    init: spec.type === "dev-environment" ? [...dind, ...spec.init] : [],
    shm_size_gb: spec.resources.shm_size,
    gpus: opts.gpus,
    ssh_authorized_keys: opts.sshAuthorizedKeys,
    inactivity_duration: seconds(spec.inactivity_duration),
    max_duration: seconds(spec.max_duration),
  };
  return { job };
}

/** dstack's docker-in-docker image (settings.DSTACK_DIND_IMAGE) and the command that starts its daemon. */
export const DIND_IMAGE = "dstackai/dind";
const DIND_START = "start-dockerd";

/** What a spec asks for that this project cannot run yet: refused before anything starts. */
export function cannotRunHere(
  spec: DevEnvironmentSpec | TaskSpec,
): { error: string; hint: string } | undefined {
  if (spec.type === "task" && spec.nodes > 1)
    return {
      error: `this task needs ${spec.nodes} nodes${spec.groups === null ? "" : " (node groups)"}, and multi-node tasks are not provisioned here yet`,
      hint: "run it with nodes: 1 here, or on a dstack server",
    };
  const image = imageRequired(spec);
  if (image !== undefined) return image;
  const secrets = secretRefs(spec);
  if (secrets.length > 0)
    return {
      error: `${secrets.join(", ")} ${secrets.length === 1 ? "needs" : "need"} dstack's secrets, which this project does not store`,
      hint: "pass env values with -e NAME=VALUE (or from your environment), and write registry_auth's values or ${{ env.NAME }}",
    };
  return undefined;
}

const SECRET = /\$\{\{\s*secrets\.[A-Za-z_][A-Za-z0-9_]*\s*\}\}/;

/** Fields still holding ${{ secrets.NAME }} (values from -e or the environment are taken as they are). */
function secretRefs(spec: DevEnvironmentSpec | TaskSpec): string[] {
  const fields = Object.entries(spec.env)
    .filter(([, v]) => typeof v === "string" && SECRET.test(v))
    .map(([k]) => `env.${k}`);
  if (spec.registry_auth !== null) {
    if (SECRET.test(spec.registry_auth.username)) fields.push("registry_auth.username");
    if (SECRET.test(spec.registry_auth.password.reveal())) fields.push("registry_auth.password");
  }
  return fields;
}

/** The command runner: the entrypoint as written, else the shell asked for (dstack: SHELL -i -c). */
function entrypointOf(spec: DevEnvironmentSpec | TaskSpec): { entrypoint?: string } {
  if (spec.entrypoint !== null) return { entrypoint: spec.entrypoint };
  if (spec.shell !== null) return { entrypoint: `${spec.shell} -i -c` };
  return {};
}

export function chooseImage(
  spec: DevEnvironmentSpec | TaskSpec,
  available: readonly string[],
): { image: string } | { error: string; hint: string } {
  if (spec.docker) return { image: DIND_IMAGE };
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
function toAgentVolume(
  v: DevEnvironmentSpec["volumes"][number],
  volumeName: (name: string) => string = (name) => name,
  volumeDevices: (name: string) => string[] | undefined = () => undefined,
): VolumeMount {
  if (v.kind === "instance")
    return { kind: "instance", instance_path: v.instance_path, path: v.path, optional: v.optional };
  const name = v.name[0];
  if (name === undefined) throw new Error(`internal: network volume at ${v.path} has no name`);
  // ${{ dstack.node_rank }} / ${{ dstack.job_num }}: this is node 0 (the compiler checked the names).
  const read = interpolate(name, VOLUME_SCOPE);
  const plain = read.ok ? read.value.text : name;
  const devices = volumeDevices(plain);
  return {
    kind: "network",
    name: volumeName(plain),
    path: v.path,
    ...(devices === undefined || devices.length === 0 ? {} : { devices }),
  };
}

function seconds(d: Duration | null): number | null {
  return d === null || d === "off" ? null : d;
}
