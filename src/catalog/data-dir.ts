// Where the bundled catalog lives at run time: src/catalog/data under the package root (the data files
// ship with the package).
import { join } from "node:path";
import { packageRoot } from "../package-root.js";

export function bundledDataDir(from: string = import.meta.url): string {
  return join(packageRoot(from), "src", "catalog", "data");
}
