// Read the bundled catalog files. Only the backends asked for are read, so `-b aws` parses one file.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CLOUD_BACKENDS, type CatalogFile, type CloudBackend } from "./data-format.js";
import { bundledDataDir } from "./data-dir.js";

export function loadCatalogFile(backend: CloudBackend, dir: string = bundledDataDir()): CatalogFile {
  const path = join(dir, `${backend}.json`);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(`cannot read the bundled catalog ${path}: ${(error as Error).message}`, { cause: error });
  }
  const file = JSON.parse(text) as CatalogFile;
  if (file.backend !== backend) throw new Error(`${path} holds the catalog of ${String(file.backend)}`);
  return file;
}

export function loadCatalog(
  backends: readonly CloudBackend[] = CLOUD_BACKENDS,
  dir: string = bundledDataDir(),
): CatalogFile[] {
  return backends.map((b) => loadCatalogFile(b, dir));
}

/** The date the bundled prices were taken: the newest `prices_taken` of the files. */
export function pricesTaken(files: readonly CatalogFile[]): string {
  return files.map((f) => f.prices_taken).reduce((a, b) => (a > b ? a : b), "");
}
