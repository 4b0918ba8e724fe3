// The Docker images the local backend runs, under the tags `scripts/build-instance-image` gives them:
// the instance image is versioned by the script's own contents, so editing the script makes the old image
// stale. Used by the local backend, `dstack doctor` and the integration tests.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../../package-root.js";

export const INSTANCE_REPOSITORY = "dstack/local-instance";
export const BASE_IMAGE = "dstack/base:py3.11";
export const BUILD_SCRIPT = "scripts/build-instance-image";

export interface LocalImages {
  instance: string;
  base: string;
}

/** The instance tag for a given build script: the first 12 hex digits of its sha256. */
export function instanceTag(script: Buffer | string): string {
  return `${INSTANCE_REPOSITORY}:${createHash("sha256").update(script).digest("hex").slice(0, 12)}`;
}

/** The image tags build-instance-image produces for its current contents; throws when the script is absent. */
export function localImages(root: string = packageRoot()): LocalImages {
  return { instance: instanceTag(readFileSync(join(root, BUILD_SCRIPT))), base: BASE_IMAGE };
}
