// `dstack generate` as a library: a configuration (run, fleet or volume) compiled to a pool spec on the
// first offer of its attempt plan, rendered as a standalone Pulumi project and written to a folder.
import { readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { matchOffers } from "../catalog/match.js";
import { loadOffers } from "../catalog/offers.js";
import { requirementsOf } from "../catalog/requirements.js";
import { formatResources } from "../compiler/format.js";
import type { Backend, Spec, VolumeSpec } from "../compiler/spec.js";
import { UserError } from "../errors.js";
import { packageRoot } from "../package-root.js";
import { planAttempts, type Attempt } from "../planner/attempt-plan.js";
import { isCloudBackend, poolSpecFor, volumePoolSpec } from "../stacks/pool-from-spec.js";
import { CLOUD_BACKENDS, type NetworkSettings, type PoolSpec } from "../stacks/pool-spec.js";
import { renderProject } from "./project-files.js";
import { REGISTRY_DIR } from "./registry-files.js";
import { resolveVolumes } from "./resolve-volumes.js";
import { writeProject, type WriteStatus } from "./write-project.js";

export interface GenerateInput {
  spec: Spec;
  /** As given on the command line (relative to cwd or absolute). */
  configFile: string;
  outDir: string;
  cwd: string;
  /** Home for the catalog (a refreshed copy wins); undefined = the bundled catalog only. */
  home?: string;
  stack: string;
  project: string;
  sshPublicKeys: readonly string[];
  network: (backend: PoolSpec["backend"]) => NetworkSettings;
  regenerate: string;
  /** Compare with what is in outDir and write nothing. */
  check?: boolean;
}

export interface GenerateResult {
  dir: string;
  pool: PoolSpec;
  attempt: Attempt | null;
  files: Map<string, WriteStatus>;
}

interface PackageJson {
  version: string;
  dependencies: Record<string, string>;
}

function readPackage(): PackageJson {
  return JSON.parse(readFileSync(join(packageRoot(import.meta.url), "package.json"), "utf8")) as PackageJson;
}

function chooseAttempt(input: GenerateInput, volumes: readonly VolumeSpec[]): Attempt {
  const spec = input.spec;
  if (spec.type === "volume") throw new Error("unreachable");
  const requirements = requirementsOf(spec);
  let backends: Backend[] = (spec.backends ?? [...CLOUD_BACKENDS]).filter(isCloudBackend);
  let regions = spec.regions;
  // Instances go where their volumes are: a network volume lives in one backend and region.
  const home = volumes[0];
  if (home !== undefined) {
    backends = backends.filter((b) => b === home.backend);
    regions = [home.region];
  }
  if (backends.length === 0)
    throw new UserError(
      "no-cloud",
      `generate builds cloud stacks, and ${spec.backends?.join(", ") ?? "no backend"} leaves no cloud to use`,
      "allow aws, gcp or azure (-b aws), or use `dstack apply` for the local backend",
    );
  const { offers } = loadOffers({ backends, home: input.home });
  const matched = matchOffers(offers, { ...requirements, backends, regions });
  const attempt = planAttempts(matched, { spotPolicy: spec.spot_policy })[0];
  if (attempt === undefined)
    throw new UserError(
      "no-offer",
      `no ${backends.join("/")} offer matches ${formatResources(requirements.resources)}${regions === null ? "" : ` in ${regions.join(", ")}`}`,
      "relax the resources or regions (`dstack offer -f FILE` lists what matches)",
    );
  return attempt;
}

export function generate(input: GenerateInput): GenerateResult {
  const pkg = readPackage();
  const dir = resolve(input.cwd, input.outDir);
  const configAbs = resolve(input.cwd, input.configFile);
  const spec = input.spec;
  let pool: PoolSpec;
  let attempt: Attempt | null = null;
  if (spec.type === "volume") {
    if (!isCloudBackend(spec.backend))
      throw new UserError("no-cloud", `a ${spec.backend} volume has no cloud stack`, "use aws, gcp or azure");
    pool = volumePoolSpec(spec, input.project, input.network(spec.backend));
  } else {
    const volumes = resolveVolumes(spec, configAbs);
    attempt = chooseAttempt(input, volumes);
    const backend = attempt.backend as PoolSpec["backend"];
    pool = poolSpecFor({
      spec,
      attempt,
      project: input.project,
      volumes,
      network: input.network(backend),
      sshPublicKeys: input.sshPublicKeys,
    });
  }
  const toRoot = relative(dir, packageRoot(import.meta.url)) || ".";
  const registryToRoot = relative(join(dir, REGISTRY_DIR), packageRoot(import.meta.url)) || ".";
  const files = renderProject({
    spec: pool,
    stack: input.stack,
    configFile: relative(dir, configAbs),
    regenerate: input.regenerate,
    dstackPackage: `file:${toRoot}`,
    registryDstackPackage: `file:${registryToRoot}`,
    dstackVersion: pkg.version,
    versions: pkg.dependencies,
    kind: spec.type === "volume" ? "volume" : spec.type === "fleet" ? "fleet" : "run",
  });
  return { dir, pool, attempt, files: writeProject(dir, files, { check: input.check }) };
}
