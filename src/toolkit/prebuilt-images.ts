// `dstack build --list` and `--delete` over every store a user's backends allow (prebuilt-stores.ts):
// this machine's registry and each cloud registry dstack created. A cloud store is asked with the
// short-lived credentials of its region; nothing is listed from a registry dstack does not know.
import { clientOf, type ImageStore } from "../build/image-stores.js";
import { deletePrebuilt, listPrebuilt, type PrebuiltImage } from "../build/prebuilt-list.js";
import { UserError } from "../errors.js";
import { storesFor } from "./prebuilt-stores.js";
import type { Toolkit } from "./toolkit.js";

export interface PlacedImage extends PrebuiltImage {
  /** `local`, or `aws us-east-1`. */
  where: string;
}

const whereOf = (store: ImageStore): string =>
  store.place.backend === "local" ? "local" : `${store.place.backend} ${store.place.region}`;

const allStores = (kit: Toolkit): ImageStore[] => storesFor(kit, { backends: null, regions: null });

async function listStore(store: ImageStore): Promise<PlacedImage[]> {
  const client = await clientOf(store);
  const images = await listPrebuilt(
    client,
    store.address,
    store.repository === null ? undefined : [store.repository],
  );
  return images.map((i) => ({ ...i, where: whereOf(store) }));
}

/** Every prebuilt image of every store, newest first. */
export async function listAllPrebuilt(kit: Toolkit): Promise<PlacedImage[]> {
  const images: PlacedImage[] = [];
  for (const store of allStores(kit)) images.push(...(await listStore(store)));
  return images.sort((a, b) => (b.created?.getTime() ?? 0) - (a.created?.getTime() ?? 0));
}

/**
 * Deletes one image: a full reference in a cloud registry dstack knows, a bare key found in exactly one
 * store, or else (REPOSITORY:KEY, a local reference) this machine's registry.
 */
export async function deleteAnyPrebuilt(kit: Toolkit, ref: string): Promise<string> {
  const stores = allStores(kit);
  for (const store of stores) {
    if (store.repository === null) continue;
    const prefix = `${store.address}/${store.repository}:`;
    if (!ref.startsWith(prefix)) continue;
    const tag = ref.slice(prefix.length);
    if (!(await (await clientOf(store)).deleteTag(store.repository, tag)))
      throw new UserError("image-not-found", `no prebuilt image ${ref}`, "dstack build --list shows them");
    return ref;
  }
  const local = stores.find((s) => s.repository === null);
  if (!/[:/]/.test(ref)) {
    const matches = (await listAllPrebuilt(kit)).filter((i) => i.key === ref);
    const [only] = matches;
    if (matches.length > 1)
      throw new UserError(
        "usage",
        `the key ${ref} is in ${matches.length} places (${matches.map((m) => m.ref).join(", ")})`,
        "give the whole reference, from dstack build --list",
        2,
      );
    if (only !== undefined && only.where !== "local") return deleteAnyPrebuilt(kit, only.ref);
  }
  if (local === undefined)
    throw new UserError(
      "image-not-found",
      `no prebuilt image ${ref} in the registries of the configured backends`,
      "dstack build --list shows them",
    );
  return deletePrebuilt(await clientOf(local), local.address, ref);
}
