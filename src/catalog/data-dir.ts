// Where the bundled catalog lives at run time. The code runs from src/ (vitest, tsx) and from the esbuild
// bundle in dist/, at different depths, so walk up from this module to the package root (the folder with
// package.json) and take src/catalog/data from there; the data files ship with the package.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

export function bundledDataDir(from: string = import.meta.url): string {
  if (cached !== undefined && from === import.meta.url) return cached;
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    if (existsSync(join(dir, "package.json"))) break;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(from)}`);
    dir = parent;
  }
  const found = join(dir, "src", "catalog", "data");
  if (from === import.meta.url) cached = found;
  return found;
}
