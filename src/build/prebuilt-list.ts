// The prebuilt images a registry holds, read from the registry alone (catalog, tags, manifests): each
// with its repository, key (the tag), size, base image (the labels the build set) and when it was built.
import { LABEL_BASE, LABEL_CONFIG } from "./build-labels.js";
import { PREBUILT_PREFIX, splitPrebuiltRef } from "./prebuilt-name.js";
import type { RegistryClient } from "./registry-client.js";
import { UserError } from "../errors.js";

export interface PrebuiltImage {
  ref: string;
  repository: string;
  key: string;
  digest: string;
  /** Compressed bytes to pull. */
  size: number;
  base: string | null;
  config: string | null;
  created: Date | null;
}

/**
 * The images of one registry: those of `repositories` when given (a cloud registry's one repository),
 * else of every `dstack-prebuilt/...` repository its catalog lists.
 */
export async function listPrebuilt(
  registry: RegistryClient,
  address: string,
  repositories?: readonly string[],
): Promise<PrebuiltImage[]> {
  return collect(
    registry,
    address,
    repositories ?? (await registry.catalog()).filter((r) => r.startsWith(`${PREBUILT_PREFIX}/`)).sort(),
  );
}

async function collect(
  registry: RegistryClient,
  address: string,
  repositories: readonly string[],
): Promise<PrebuiltImage[]> {
  const images: PrebuiltImage[] = [];
  for (const repository of repositories)
    for (const key of await registry.tags(repository)) {
      const manifest = await registry.manifest(repository, key);
      if (manifest === undefined) continue; // deleted meanwhile
      images.push({
        ref: `${address}/${repository}:${key}`,
        repository,
        key,
        digest: manifest.digest,
        size: manifest.size,
        base: manifest.labels[LABEL_BASE] ?? null,
        config: manifest.labels[LABEL_CONFIG] ?? null,
        created: manifest.created ?? null,
      });
    }
  // Newest first.
  return images.sort((a, b) => (b.created?.getTime() ?? 0) - (a.created?.getTime() ?? 0));
}

/**
 * Deletes one prebuilt image: `REGISTRY/REPOSITORY:KEY`, `REPOSITORY:KEY`, or a bare key (unique among
 * the images). Returns the reference deleted; a UserError when there is no such image.
 */
export async function deletePrebuilt(
  registry: RegistryClient,
  address: string,
  ref: string,
): Promise<string> {
  const target = await resolveRef(registry, address, ref);
  if (!(await registry.deleteTag(target.repository, target.tag))) throw notFound(ref);
  return `${address}/${target.repository}:${target.tag}`;
}

async function resolveRef(
  registry: RegistryClient,
  address: string,
  ref: string,
): Promise<{ repository: string; tag: string }> {
  const full = splitPrebuiltRef(ref);
  if (full !== undefined && full.registry === address) return full;
  if (full !== undefined && /[.:]/.test(full.registry))
    throw new UserError(
      "registry",
      `${ref} is not in the registry prebuilt images go to (${address})`,
      "give a reference from dstack build --list",
    );
  const colon = ref.lastIndexOf(":");
  if (colon > 0) return { repository: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  const matches = (await listPrebuilt(registry, address)).filter((i) => i.key === ref);
  if (matches.length === 1) return { repository: matches[0]!.repository, tag: ref };
  if (matches.length === 0) throw notFound(ref);
  throw new UserError(
    "usage",
    `the key ${ref} is in ${matches.length} repositories (${matches.map((m) => m.repository).join(", ")})`,
    "give the whole reference, REPOSITORY:KEY",
    2,
  );
}

const notFound = (ref: string): UserError =>
  new UserError(
    "image-not-found",
    `no prebuilt image ${ref}`,
    "dstack build --list shows the prebuilt images",
  );
