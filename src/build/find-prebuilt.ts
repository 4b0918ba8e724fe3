// Whether the registry holds an image for a build key: under the configuration's own repository first,
// else under any other `dstack-prebuilt/...` repository (the same content built under another name: a
// `-n` override, a renamed file). The tag is the key, so any image found fits.
import type { ImageManifest, RegistryClient } from "./registry-client.js";
import { PREBUILT_PREFIX } from "./prebuilt-name.js";
import type { PrebuiltTarget } from "./prebuilt-target.js";

export interface FoundImage {
  /** `<registry>/<repository>:<key>`. */
  ref: string;
  repository: string;
  manifest: ImageManifest;
}

export async function findPrebuilt(
  registry: RegistryClient,
  target: PrebuiltTarget,
): Promise<FoundImage | undefined> {
  const tag = target.key.key;
  const own = await registry.manifest(target.repository, tag);
  if (own !== undefined) return { ref: target.ref, repository: target.repository, manifest: own };
  const others = (await registry.catalog()).filter(
    (r) => r.startsWith(`${PREBUILT_PREFIX}/`) && r !== target.repository,
  );
  for (const repository of others) {
    if (!(await registry.tags(repository)).includes(tag)) continue;
    const manifest = await registry.manifest(repository, tag);
    if (manifest !== undefined)
      return { ref: `${target.registry}/${repository}:${tag}`, repository, manifest };
  }
  return undefined;
}
