// The image stores a configuration may use in this session (image-stores.ts): this machine's registry
// when the local backend is allowed, and each cloud registry dstack created whose backend and region the
// configuration and ~/.dstack/config.yml allow; and the store a build that landed somewhere pushes to
// (a cloud's registry created on the way when it is the first build there).
import { ensureCloudRegistry, registryPlanText } from "../build/cloud-registry.js";
import { cloudStore, localStore, type ImageStore } from "../build/image-stores.js";
import { registryCredentials } from "../build/registry-credentials.js";
import { localRegistryAddress } from "../build/registry-client.js";
import { listRegistries, type RegistryRecord } from "../build/registry-store.js";
import type { RunSpec } from "../compiler/spec.js";
import { networkSettings } from "../generate/network-settings.js";
import { configuredBackends } from "../pools/configured-backends.js";
import { isCloudBackend } from "../stacks/pool-from-spec.js";
import type { CloudBackend } from "../stacks/pool-spec.js";
import { UserError } from "../errors.js";
import type { Toolkit } from "./toolkit.js";

export interface Where {
  backend: string;
  region: string;
}

function cloudStoreOf(kit: Toolkit, record: RegistryRecord): ImageStore {
  const place = {
    backend: record.backend,
    region: record.region,
    network: networkSettings(kit.home)(record.backend),
  };
  return cloudStore(record, () => registryCredentials(place, kit.engine(), kit.signal));
}

/** The backends a build may land on: a registry dstack can push to must be there (not Azure's yet). */
export function buildableSpec<S extends Pick<RunSpec, "backends">>(kit: Toolkit, spec: S): S {
  const backends = (spec.backends ?? configuredBackends(kit.home).types).filter((b) => b !== "azure");
  if (backends.length === 0)
    throw new UserError(
      "unsupported",
      "prebuilt images on Azure are not supported yet: dstack cannot log in to an Azure Container Registry (it would need the ACR token exchange), so a build cannot be placed there",
      "place the build and its runs on aws, gcp or local (`-b aws`), or drop `build`",
    );
  return { ...spec, backends: backends as S["backends"] };
}

/** Local first, then the clouds' registries in the order dstack created them. */
export function storesFor(kit: Toolkit, spec: Pick<RunSpec, "backends" | "regions">): ImageStore[] {
  const configured = configuredBackends(kit.home);
  const allowed = (backend: string, region?: string): boolean => {
    if (!configured.types.includes(backend)) return false;
    if (spec.backends !== null && !spec.backends.includes(backend as never)) return false;
    if (region === undefined) return true;
    const regions = configured.regions.get(backend) ?? [];
    if (regions.length > 0 && !regions.includes(region)) return false;
    return spec.regions === null || spec.regions.includes(region);
  };
  const stores: ImageStore[] = [];
  if (allowed("local")) stores.push(localStore(localRegistryAddress(kit.env)));
  for (const record of listRegistries(kit.home))
    if (allowed(record.backend, record.region)) stores.push(cloudStoreOf(kit, record));
  return stores;
}

const cloudPlace = (kit: Toolkit, where: Where) => {
  const backend = where.backend as CloudBackend;
  return { backend, region: where.region, network: networkSettings(kit.home)(backend) };
};

/** The store a build placed there pushes to; a cloud's registry is created first if dstack has none. */
export async function storeAt(kit: Toolkit, where: Where): Promise<ImageStore> {
  if (!isCloudBackend(where.backend)) return localStore(localRegistryAddress(kit.env));
  const record = await ensureCloudRegistry({
    home: kit.home,
    engine: kit.engine(),
    place: cloudPlace(kit, where),
    signal: kit.signal,
  });
  return cloudStoreOf(kit, record);
}

/** The plan of the registry a build placed there would create first, or undefined (none to create). */
export function storePlan(kit: Toolkit, where: Where): Promise<string | undefined> {
  if (!isCloudBackend(where.backend)) return Promise.resolve(undefined);
  return registryPlanText({
    home: kit.home,
    engine: kit.engine(),
    place: cloudPlace(kit, where),
    signal: kit.signal,
  });
}
