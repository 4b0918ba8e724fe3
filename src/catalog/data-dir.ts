// Where the catalog lives at run time: the bundled files in src/catalog/data under the package root (the
// data files ship with the package), and the user's refreshed copies in ~/.dstack/catalog, written by
// `dstack catalog update` and preferred when newer (load.ts); that folder is named in src/home/paths.ts.
import { join } from "node:path";
import { packageRoot } from "../package-root.js";

export function bundledDataDir(from: string = import.meta.url): string {
  return join(packageRoot(from), "src", "catalog", "data");
}
