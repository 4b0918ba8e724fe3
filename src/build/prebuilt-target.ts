// What `apply` and `dstack build` agree on before anything is provisioned: which base image the build
// starts from, the key of what it would produce (build-key.ts) and the image reference it is stored
// under. Effects (Docker, the files) come in through `inspect` and the repository folder.
import { homedir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import type { DevEnvironmentSpec, TaskSpec } from "../compiler/spec.js";
import { UserError } from "../errors.js";
import { chooseImage } from "../runs/job-spec.js";
import { inspectLocalImage, type InspectImage } from "./base-image.js";
import { buildKey, type BuildKey } from "./build-key.js";
import { prebuiltRepository } from "./prebuilt-name.js";

export interface PrebuiltTarget {
  /** The image the build commands run in (`image`, or the default base for `python`). */
  base: string;
  baseDigest: string;
  platform: string;
  /** `nvcc` when the spec asks for dstack's CUDA compiler image, else `none`. */
  cuda: string;
  /** The build commands, as keyed. */
  commands: readonly string[];
  key: BuildKey;
  /** host:port. */
  registry: string;
  /** e.g. `dstack-prebuilt/dev`. */
  repository: string;
  /** `<registry>/<repository>:<key>`: what `dstack build` pushes and a run starts from. */
  ref: string;
}

export interface PrebuiltTargetInput {
  spec: DevEnvironmentSpec | TaskSpec;
  configFile: string;
  /** The folder `apply` runs in. */
  repoDir: string;
  registry: string;
  /** The dstack/base tags present here (for the default base). */
  availableBaseImages: readonly string[];
  inspect?: InspectImage;
}

export function prebuiltTarget(input: PrebuiltTargetInput): PrebuiltTarget {
  const { spec } = input;
  const chosen = chooseImage(spec, input.availableBaseImages);
  if ("error" in chosen) throw new UserError("build-base", chosen.error, chosen.hint);
  const facts = (input.inspect ?? inspectLocalImage)(chosen.image);
  const cuda = spec.nvcc ? "nvcc" : "none";
  const key = buildKey({
    baseImageDigest: facts.digest,
    commands: spec.build,
    env: spec.env,
    platform: facts.platform,
    cuda,
    repoDir: keyRepoDir(input),
  });
  const repository = prebuiltRepository({
    name: spec.name,
    configFile: input.configFile,
    repoDir: input.repoDir,
  });
  return {
    base: chosen.image,
    baseDigest: facts.digest,
    platform: facts.platform,
    cuda,
    commands: spec.build,
    key,
    registry: input.registry,
    repository,
    ref: `${input.registry}/${repository}:${key.key}`,
  };
}

/**
 * The folder whose files the commands read: the repository the run gets at /workflow, i.e. a local
 * `repos` entry (relative to the configuration's folder), else the folder `apply` runs in. (A Git URL
 * is cloned only at upload time; its files are then not hashed: the folder here stands in.)
 */
function keyRepoDir(input: PrebuiltTargetInput): string {
  const local = input.spec.repos[0]?.local_path;
  if (local === undefined || local === null) return resolve(input.repoDir);
  if (local === "~" || local.startsWith("~/")) return join(homedir(), local.slice(1));
  return isAbsolute(local) ? local : resolve(dirname(resolve(input.repoDir, input.configFile)), local);
}

/** One line per hashed file, for the plan and the errors: `requirements.txt (pip install -r, build command 1)`. */
export function hashedFilesText(target: PrebuiltTarget): string {
  const files = target.key.hashedFiles.map(
    (f) => `${f.path} (${f.why}${f.hash === "missing" ? ", missing" : ""})`,
  );
  return files.length === 0 ? "none" : files.join(", ");
}
