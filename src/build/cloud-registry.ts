// The project's registry on a cloud, as `dstack build` and `apply --build` need it (issue 14): created
// through its own stack (src/stacks/registry/, project `dstack-main-<backend>-registry`, stack = the
// region) the first time a build lands in that backend and region, then remembered (registry-store.ts).
// The stack outlives every pool: no pool's teardown, and no `dstack` command but a deliberate
// `pulumi destroy`, deletes the images.
import { renderPlan } from "../engine/plan.js";
import { preview, removeStack, up, type StackTarget } from "../engine/stack-runner.js";
import { UserError } from "../errors.js";
import { POOL_PROJECT } from "../pools/cloud/cloud-pool.js";
import type { EngineContext } from "../pools/stack-pool.js";
import type { CloudBackend, NetworkSettings } from "../stacks/pool-spec.js";
import { cloudRegistryProgram } from "../stacks/registry/program.js";
import { registryProjectName, registrySpecOf, type RegistrySpec } from "../stacks/registry/registry-spec.js";
import { readRegistry, writeRegistry, type RegistryRecord } from "./registry-store.js";

export interface RegistryPlace {
  backend: CloudBackend;
  region: string;
  network: NetworkSettings;
}

export interface CloudRegistryInput {
  home: string;
  engine: EngineContext;
  place: RegistryPlace;
  signal?: AbortSignal;
}

const specOf = (place: RegistryPlace): RegistrySpec =>
  registrySpecOf(POOL_PROJECT, place.backend, place.region, place.network);

function registryTarget(place: RegistryPlace, engine: EngineContext): StackTarget {
  const spec = specOf(place);
  return {
    project: registryProjectName(spec),
    stack: place.region,
    program: cloudRegistryProgram(spec),
    backend: engine.backend,
    pulumiBinDir: engine.pulumiBinDir,
    ...(engine.onNotice === undefined ? {} : { onNotice: engine.onNotice }),
  };
}

/** `aws us-east-1`. */
export const placeText = (place: Pick<RegistryPlace, "backend" | "region">): string =>
  `${place.backend} ${place.region}`;

/**
 * The plan of the registry a build there would create (its stack's diff), or undefined when dstack
 * already has it. Previewing leaves nothing behind.
 */
export async function registryPlanText(input: CloudRegistryInput): Promise<string | undefined> {
  if (readRegistry(input.home, input.place.backend, input.place.region) !== undefined) return undefined;
  const target = registryTarget(input.place, input.engine);
  const plan = await preview(target, { signal: input.signal });
  await removeStack(target);
  return `The project's registry in ${placeText(input.place)} does not exist yet; the build creates it first (its own stack ${target.project}/${target.stack}, kept when pools go):\n${renderPlan(plan)}`;
}

/** The registry of that backend and region: dstack's record of it, else its stack applied now. */
export async function ensureCloudRegistry(input: CloudRegistryInput): Promise<RegistryRecord> {
  const { place } = input;
  const known = readRegistry(input.home, place.backend, place.region);
  if (known !== undefined) return known;
  const target = registryTarget(place, input.engine);
  const { outputs } = await up(target, {
    signal: input.signal,
    ...(input.engine.onOutput === undefined ? {} : { onOutput: input.engine.onOutput }),
  });
  const registry = outputs.registry;
  const repository = outputs.repository;
  const identity = outputs.instance_identity;
  if (typeof registry !== "string" || typeof repository !== "string" || typeof identity !== "object")
    throw new UserError(
      "registry-stack",
      `the registry stack ${target.project}/${target.stack} did not export registry, repository and instance_identity`,
      "run the build again; if it repeats, `pulumi stack output` in that stack shows what it has",
    );
  const record: RegistryRecord = {
    backend: place.backend,
    region: place.region,
    registry,
    repository,
    instance_identity: Object.fromEntries(
      Object.entries(identity as Record<string, unknown>).filter(
        (e): e is [string, string] => typeof e[1] === "string",
      ),
    ),
    stack: { project: target.project, stack: target.stack, backend_url: input.engine.backend.url },
    created_at: new Date().toISOString(),
  };
  writeRegistry(input.home, record);
  return record;
}
