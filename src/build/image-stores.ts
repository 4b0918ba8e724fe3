// Where prebuilt images are kept, one store per place a run can start from them (issue 14): this
// machine's registry for the local backend, and the project's registry of each cloud region dstack has
// created (cloud-registry.ts). An image is found by its key in the stores a configuration may use; a run
// then goes where its image is (a cloud registry's images are pulled in their own region: no cross-region
// pulls, no egress, and the credentials dstack has are the region's).
import type { CloudBackend } from "../stacks/pool-spec.js";
import { findPrebuilt, type FoundImage } from "./find-prebuilt.js";
import type { PrebuiltTarget } from "./prebuilt-target.js";
import type { BasicCredentials } from "./registry-challenge.js";
import { RegistryClient } from "./registry-client.js";
import type { RegistryRecord } from "./registry-store.js";

export type StorePlace = { backend: "local" } | { backend: CloudBackend; region: string };

export interface ImageStore {
  place: StorePlace;
  /** The registry host, as image references name it. */
  address: string;
  /** Short-lived credentials for it (none for this machine's registry). */
  credentials(): Promise<BasicCredentials | undefined>;
  /** A cloud registry's one repository (without host); null: one per configuration (this machine's). */
  repository: string | null;
  /** The repository (without host) a target's image goes to in this store. */
  repositoryOf(target: PrebuiltTarget): string;
}

export const storeText = (place: StorePlace): string =>
  place.backend === "local" ? "this machine's registry" : `the ${place.backend} ${place.region} registry`;

/** This machine's registry: repositories per configuration (`dstack-prebuilt/<name>`). */
export function localStore(address: string): ImageStore {
  return {
    place: { backend: "local" },
    address,
    credentials: () => Promise.resolve(undefined),
    repository: null,
    repositoryOf: (target) => target.repository,
  };
}

/** A cloud's registry: one repository (`…/prebuilt`) whose tags are the keys. */
export function cloudStore(record: RegistryRecord, credentials: () => Promise<BasicCredentials>): ImageStore {
  const prefix = `${record.registry}/`;
  const repository = record.repository.startsWith(prefix)
    ? record.repository.slice(prefix.length)
    : record.repository;
  return {
    place: { backend: record.backend, region: record.region },
    address: record.registry,
    credentials,
    repository,
    repositoryOf: () => repository,
  };
}

/** The reference a target's image has in a store: `<host>/<repository>:<key>`. */
export const refIn = (store: ImageStore, target: PrebuiltTarget): string =>
  `${store.address}/${store.repositoryOf(target)}:${target.key.key}`;

export async function clientOf(store: ImageStore, target?: PrebuiltTarget): Promise<RegistryClient> {
  const auth = await store.credentials();
  return new RegistryClient(store.address, {
    ...(target === undefined ? {} : { platform: target.platform }),
    ...(auth === undefined ? {} : { auth }),
  });
}

export interface FoundInStore extends FoundImage {
  store: ImageStore;
}

/** The first store (in the order given) that holds an image for the target's key. */
export async function findInStores(
  stores: readonly ImageStore[],
  target: PrebuiltTarget,
): Promise<FoundInStore | undefined> {
  for (const store of stores) {
    const client = await clientOf(store, target);
    const found =
      store.place.backend === "local"
        ? await findPrebuilt(client, { ...target, registry: store.address })
        : await findOwn(client, store, target);
    if (found !== undefined) return { ...found, store };
  }
  return undefined;
}

async function findOwn(
  client: RegistryClient,
  store: ImageStore,
  target: PrebuiltTarget,
): Promise<FoundImage | undefined> {
  const repository = store.repositoryOf(target);
  const manifest = await client.manifest(repository, target.key.key);
  return manifest === undefined ? undefined : { ref: refIn(store, target), repository, manifest };
}
