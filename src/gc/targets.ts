// Where `dstack gc` looks, and in which state backends it looks for owners. Regions: every region of
// the cloud backends in ~/.dstack/config.yml (a backend listing none: every region of its catalog, as
// offers may come from any of them), plus the region of every pool and fleet dstack has a record of.
// GCP is searched per project (config.yml `project`, else the gcloud environment variables). Azure has no
// list call in azure-native, so it is named as not searched. State backends: the one given (or the
// default) plus every backend a pool or fleet record names, so a stack elsewhere still owns its resources.
import { loadOffers } from "../catalog/offers.js";
import { listFleets } from "../fleets/store.js";
import { loadDstackConfig } from "../home/load-config.js";
import { UserError } from "../errors.js";
import { listPools } from "../pools/pool-store.js";

export interface GcTargets {
  /** AWS regions to list. */
  aws: string[];
  /** GCP projects to search. */
  gcp: string[];
  /** Backends that are in use but cannot be searched, each with why. */
  unsearched: string[];
  /** State backend URLs the records name (besides the default or --backend-url). */
  recordBackends: string[];
}

const GCP_PROJECT_VARS = [
  "GOOGLE_PROJECT",
  "GOOGLE_CLOUD_PROJECT",
  "GCLOUD_PROJECT",
  "CLOUDSDK_CORE_PROJECT",
];

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

function catalogRegions(home: string, backend: "aws"): string[] {
  return loadOffers({ backends: [backend], home }).offers.map((o) => o.region);
}

export function gcTargets(home: string, env: Readonly<Record<string, string | undefined>>): GcTargets {
  const config = loadDstackConfig(home);
  const pools = listPools(home).filter((p) => p.backend !== undefined && p.backend !== "local");
  const fleets = listFleets(home);
  const used = new Map<string, Set<string>>();
  const use = (backend: string, regions: readonly string[]): void => {
    const set = used.get(backend) ?? new Set<string>();
    regions.forEach((r) => set.add(r));
    used.set(backend, set);
  };
  for (const b of config.backends)
    if (b.type !== "local")
      use(b.type, b.regions.length > 0 || b.type !== "aws" ? b.regions : catalogRegions(home, "aws"));
  for (const p of pools) use(p.backend ?? "", p.region === undefined ? [] : [p.region]);
  for (const f of fleets) use(f.backend, [f.region]);
  if (used.size === 0)
    throw new UserError(
      "no-cloud-backend",
      "no cloud backend to look in: ~/.dstack/config.yml lists no aws or gcp backend, and no pool or fleet is on a cloud",
      "add one to ~/.dstack/config.yml, e.g. `backends: [{type: aws, regions: [us-east-1]}]`; nothing was changed",
    );
  const unsearched: string[] = [];
  const gcpProject =
    config.backends.find((b) => b.type === "gcp")?.project ??
    GCP_PROJECT_VARS.map((v) => env[v]).find((v) => v !== undefined && v !== "");
  if (used.has("gcp") && gcpProject === undefined)
    unsearched.push("gcp: no project (set `project` of the gcp backend in ~/.dstack/config.yml)");
  if (used.has("azure"))
    unsearched.push(
      "azure: azure-native has no call that lists resources by tag; look for dstack-managed=true in the portal",
    );
  return {
    aws: sorted(used.get("aws") ?? []),
    gcp: used.has("gcp") && gcpProject !== undefined ? [gcpProject] : [],
    unsearched,
    recordBackends: sorted([
      ...pools.flatMap((p) => (p.backend_url === undefined ? [] : [p.backend_url])),
      ...fleets.map((f) => f.stack.backend_url),
    ]),
  };
}
