// The package's root folder at run time. Code runs from src/ (vitest) and from the esbuild bundle in
// dist/, at different depths, so walk up from a module to the folder with package.json.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const cache = new Map<string, string>();

export function packageRoot(from: string = import.meta.url): string {
  const known = cache.get(from);
  if (known !== undefined) return known;
  let dir = dirname(fileURLToPath(from));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(from)}`);
    dir = parent;
  }
  cache.set(from, dir);
  return dir;
}
