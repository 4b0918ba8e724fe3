// Prebuilt environments in a toolkit session (issue 14): the key of a configuration's `build`, its image
// in the registry, and the build when it is missing (apply --build), must be redone (--force-build) or
// asked for (dstack build). Runs before `apply` looks at offers, so a missing image stops it at plan
// time with nothing provisioned.
import type { MatchedOffer } from "../catalog/offer.js";
import { prebuiltLabels } from "../build/build-labels.js";
import type { FoundImage } from "../build/find-prebuilt.js";
import { findInStores, refIn, storeText, type FoundInStore, type StorePlace } from "../build/image-stores.js";
import { missingPrebuilt } from "../build/missing-prebuilt.js";
import { hashedFilesText, prebuiltTarget, type PrebuiltTarget } from "../build/prebuilt-target.js";
import type { BasicCredentials } from "../build/registry-challenge.js";
import { localRegistryAddress } from "../build/registry-client.js";
import type { RunSpec } from "../compiler/spec.js";
import { UserError } from "../errors.js";
import { baseImages } from "../pools/pools-context.js";
import type { ProvisionTuning } from "../provisioning/provision-tuning.js";
import { buildImage, type BuildImageResult } from "../runs/build-image.js";
import type { IoHost } from "./io-host.js";
import { buildableSpec, storeAt, storePlan, storesFor } from "./prebuilt-stores.js";
import { formatAge } from "./run-status.js";
import type { Toolkit } from "./toolkit.js";

/** never: only look (plain apply); missing: build when absent (--build); force: always build (--force-build). */
export type BuildPolicy = "never" | "missing" | "force";

export interface PrebuiltInput {
  spec: RunSpec;
  configFile: string;
  repoDir: string;
}

/** The key and image reference of a configuration's build; undefined when it has no `build`. */
export function targetOf(kit: Toolkit, input: PrebuiltInput): PrebuiltTarget | undefined {
  const { spec } = input;
  if ((spec.type !== "dev-environment" && spec.type !== "task") || spec.build.length === 0) return undefined;
  return prebuiltTarget({
    spec,
    configFile: input.configFile,
    repoDir: input.repoDir,
    registry: localRegistryAddress(kit.env),
    availableBaseImages: baseImages(),
  });
}

export function requireTarget(kit: Toolkit, input: PrebuiltInput, flag: string): PrebuiltTarget {
  const target = targetOf(kit, input);
  if (target === undefined)
    throw new UserError(
      "usage",
      `${flag}: ${input.configFile} has no build commands (a ${input.spec.type}${input.spec.type === "dev-environment" || input.spec.type === "task" ? " without `build`" : ", which is not built"})`,
      "add `build: [commands]` to a dev environment or task, or leave the flag out",
      2,
    );
  return target;
}

/** Finds the image of the target in the stores the spec may use (undefined: in none of them). */
export function lookUp(
  kit: Toolkit,
  spec: RunSpec,
  target: PrebuiltTarget,
): Promise<FoundInStore | undefined> {
  return findInStores(storesFor(kit, spec), target);
}

export interface PrebuiltForRun extends PrebuiltInput {
  policy: BuildPolicy;
  dryRun?: boolean;
  tuning?: ProvisionTuning;
  renderOffers: (matched: readonly MatchedOffer[]) => string;
}

/** A run's prebuilt image: its reference, where it is kept, and the credentials to pull it there. */
export interface RunImage {
  ref: string;
  where: StorePlace;
  /** A cloud registry's short-lived credentials (never stored); none for this machine's registry. */
  auth?: BasicCredentials;
}

/** The run's image (none: the configuration has no `build`), or the user declined its build. */
export type RunImageResult = { image: RunImage | undefined } | { declined: true };

/**
 * The spec limited to where its image is kept: a cloud registry's image is pulled in its own backend
 * and region only, so the run's offers (and its failover) stay there.
 */
export function placedWithImage<S extends Pick<RunSpec, "backends" | "regions">>(
  spec: S,
  image: RunImage | undefined,
): S {
  if (image === undefined) return spec;
  const { where } = image;
  return where.backend === "local"
    ? { ...spec, backends: ["local"] }
    : { ...spec, backends: [where.backend], regions: [where.region] };
}

async function imageOf(found: FoundInStore): Promise<RunImage> {
  const auth = await found.store.credentials();
  return { ref: found.ref, where: found.store.place, ...(auth === undefined ? {} : { auth }) };
}

/**
 * `apply`: the image the run starts from when the configuration has `build`, found in the registry or
 * built first as the policy allows; a missing one is refused before any offer is looked at.
 */
export async function prebuiltForRun(kit: Toolkit, input: PrebuiltForRun): Promise<RunImageResult> {
  const target =
    input.policy === "never" ? targetOf(kit, input) : requireTarget(kit, input, flagOf(input.policy));
  if (target === undefined) return { image: undefined };
  const found = input.policy === "force" ? undefined : await lookUp(kit, input.spec, target);
  if (found !== undefined) {
    notePrebuilt(kit.io, target, found);
    return { image: await imageOf(found) };
  }
  if (input.policy === "never") throw missingPrebuilt(target, input.configFile);
  if (input.dryRun === true) {
    kit.io.notify({
      code: "plan.prebuilt",
      level: "info",
      text: `Prebuilt image ${target.ref}: ${flagOf(input.policy)} would build it first (files hashed: ${hashedFilesText(target)})`,
      data: { image: target.ref, key: target.key.key, built: false },
    });
    return { image: undefined };
  }
  const built = await buildFor(kit, { ...input, target });
  if (built.kind !== "built") return { declined: true };
  const { placed } = built;
  return {
    image: {
      ref: built.image.ref,
      where:
        placed.backend === "local"
          ? { backend: "local" }
          : { backend: placed.backend as never, region: placed.region },
      ...(built.auth === undefined ? {} : { auth: built.auth }),
    },
  };
}

const flagOf = (policy: BuildPolicy): string => (policy === "force" ? "--force-build" : "--build");

/** The plan's line: `Prebuilt image 127.0.0.1:5000/dstack-prebuilt/dev:0123... (built 3m 2s ago)`. */
function notePrebuilt(io: IoHost, target: PrebuiltTarget, found: FoundInStore): void {
  const created = found.manifest.created;
  const age =
    created === undefined ? "" : ` (built ${formatAge((Date.now() - created.getTime()) / 1000)} ago)`;
  io.notify({
    code: "plan.prebuilt",
    level: "info",
    text: `Prebuilt image ${found.ref}${age}${found.store.place.backend === "local" ? "" : `: the run goes where it is kept (${storeText(found.store.place)})`}`,
    data: {
      image: found.ref,
      where: found.store.place,
      key: target.key.key,
      digest: found.manifest.digest,
      size: found.manifest.size,
      created: created?.toISOString() ?? null,
      built: true,
    },
  });
}

export interface BuildFor extends PrebuiltInput {
  target: PrebuiltTarget;
  dryRun?: boolean;
  tuning?: ProvisionTuning;
  renderOffers: (matched: readonly MatchedOffer[]) => string;
}

/** One build through the pipeline (offers, an instance, the agent), its log as `build.log` messages. */
export async function buildFor(kit: Toolkit, input: BuildFor): Promise<BuildImageResult> {
  const { target } = input;
  if (input.spec.type !== "dev-environment" && input.spec.type !== "task")
    throw new Error("internal: only runs are built");
  const spec = buildableSpec(kit, input.spec);
  kit.io.notify({
    code: "build.key",
    level: "info",
    text: `Build key ${target.key.key} (base ${target.base}, ${target.platform}; files hashed: ${hashedFilesText(target)})`,
    data: {
      key: target.key.key,
      digest: target.key.digest,
      base: target.base,
      base_digest: target.baseDigest,
      platform: target.platform,
      cuda: target.cuda,
      hashed_files: target.key.hashedFiles,
      not_hashed: target.key.notHashed,
      secret_env: target.key.secretEnv,
    },
  });
  for (const skipped of target.key.notHashed)
    kit.io.notify({
      code: "build.key",
      level: "warn",
      text: `not hashed: ${skipped.path} (${skipped.why}): a change to it does not change the key`,
      data: skipped,
    });
  const ui = kit.ui(input.renderOffers);
  const result = await buildImage({
    spec,
    target,
    destinations: {
      plan: (where) => storePlan(kit, where),
      at: async (where) => {
        const store = await storeAt(kit, where);
        const auth = await store.credentials();
        return { ref: refIn(store, target), ...(auth === undefined ? {} : { auth }) };
      },
    },
    labels: prebuiltLabels(target, input.configFile),
    configFile: input.configFile,
    repoDir: input.repoDir,
    pools: kit.pools(),
    ui: { ...ui, log: (text) => kit.io.notify({ code: "build.log", level: "info", text }) },
    signal: kit.signal,
    ...(input.dryRun === undefined ? {} : { dryRun: input.dryRun }),
    ...(input.tuning === undefined ? {} : { tuning: input.tuning }),
  });
  if (result.kind === "built")
    kit.io.notify({
      code: "build.done",
      level: "info",
      text: `Built ${result.image.ref} in ${result.image.seconds.toFixed(1)}s${result.image.size === null ? "" : ` (${(result.image.size / 1e6).toFixed(0)} MB)`}`,
      data: {
        image: result.image.ref,
        digest: result.image.digest,
        size: result.image.size,
        seconds: result.image.seconds,
      },
    });
  return result;
}

export interface BuildConfigurationInput extends PrebuiltInput {
  /** Build even when the registry has the image. */
  force: boolean;
  dryRun?: boolean;
  tuning?: ProvisionTuning;
  renderOffers: (matched: readonly MatchedOffer[]) => string;
}

export type BuildOutcome =
  | { kind: "exists"; target: PrebuiltTarget; found: FoundImage }
  | (BuildImageResult & { target: PrebuiltTarget });

/** `dstack build`: nothing when the image is there (unless forced), else one build. */
export async function buildConfiguration(
  kit: Toolkit,
  input: BuildConfigurationInput,
): Promise<BuildOutcome> {
  const target = requireTarget(kit, input, "dstack build");
  if (!input.force) {
    const found = await lookUp(kit, input.spec, target);
    if (found !== undefined) return { kind: "exists", target, found };
  }
  return { ...(await buildFor(kit, { ...input, target })), target };
}
