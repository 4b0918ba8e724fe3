// Where a configuration's prebuilt image lives in the registry: `dstack-prebuilt/<name>:<key>`.
//
// The tag is the build key (build-key.ts): it names the content, so it alone decides whether an image
// fits. The repository only groups a configuration's images, so that `dstack build --list` shows which
// configuration each belongs to and its old images can be deleted together. Its name is the
// configuration's `name` when it has one, else the file's stem (`train.dstack.yml` -> `train`), else (for
// `.dstack.yml`) the folder's name. A run name is no good: without `name`, each run gets a random one.
// Two configurations that end up with the same repository cannot mix their images up (their keys
// differ unless their content is the same), and `apply` also finds an image under another repository's
// name (a `-n` override) by its key (find-prebuilt.ts).
import { basename, dirname, resolve } from "node:path";

export const PREBUILT_PREFIX = "dstack-prebuilt";

export function prebuiltRepository(input: {
  name: string | null;
  configFile: string;
  repoDir: string;
}): string {
  const file = resolve(input.repoDir, input.configFile);
  const stem = basename(file).replace(/(\.dstack)?\.ya?ml$/i, "");
  const candidates = [input.name ?? "", stem, basename(dirname(file))];
  const name = candidates.map(slug).find((s) => s !== "") ?? "env";
  return `${PREBUILT_PREFIX}/${name}`;
}

/** A registry path component: lowercase letters and digits separated by single dashes. */
function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63)
    .replace(/-+$/, "");
}

/** `127.0.0.1:5000/dstack-prebuilt/dev:0123abcd...` -> its registry, repository and tag; undefined if not one. */
export function splitPrebuiltRef(
  ref: string,
): { registry: string; repository: string; tag: string } | undefined {
  const match = /^([^/]+)\/(.+):([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$/.exec(ref);
  if (match === null) return undefined;
  const [, registry = "", repository = "", tag = ""] = match;
  return { registry, repository, tag };
}
