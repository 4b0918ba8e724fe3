// Read the catalog files. Only the backends asked for are read, so `-b aws` parses one file. Given the
// user's cache folder (~/.dstack/catalog, written by `dstack catalog update`), a cached file is used
// instead of the bundled one when its `prices_taken` is newer; a cached file that is missing, unreadable
// or not a catalog of that backend is ignored, so a bad cache never breaks `dstack offer`.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CLOUD_BACKENDS, type CatalogFile, type CloudBackend } from "./data-format.js";
import { bundledDataDir } from "./data-dir.js";

/** A catalog file in use, where it was read from, and whether that is the user's cache. */
export interface CatalogInUse {
  file: CatalogFile;
  path: string;
  cached: boolean;
}

export function loadCatalogFile(
  backend: CloudBackend,
  dir: string = bundledDataDir(),
  cacheDir?: string,
): CatalogFile {
  return catalogInUse(backend, dir, cacheDir).file;
}

/** The bundled file of `backend`, or the cached one in `cacheDir` when that is newer. */
export function catalogInUse(
  backend: CloudBackend,
  dir: string = bundledDataDir(),
  cacheDir?: string,
): CatalogInUse {
  const path = join(dir, `${backend}.json`);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(`cannot read the bundled catalog ${path}: ${(error as Error).message}`, { cause: error });
  }
  const file = JSON.parse(text) as CatalogFile;
  if (file.backend !== backend) throw new Error(`${path} holds the catalog of ${String(file.backend)}`);
  const bundled = { file, path, cached: false };
  if (cacheDir === undefined) return bundled;
  const cached = readCachedFile(backend, cacheDir);
  return cached !== null && cached.prices_taken > file.prices_taken
    ? { file: cached, path: join(cacheDir, `${backend}.json`), cached: true }
    : bundled;
}

/** The user's cached catalog of `backend`, or null when absent or not usable. */
export function readCachedFile(backend: CloudBackend, cacheDir: string): CatalogFile | null {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(join(cacheDir, `${backend}.json`), "utf8"));
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const file = value as Partial<CatalogFile>;
  const usable =
    file.backend === backend &&
    typeof file.prices_taken === "string" &&
    /^\d{4}-\d{2}-\d{2}$/.test(file.prices_taken) &&
    Array.isArray(file.instance_types) &&
    Array.isArray(file.prices);
  return usable ? (file as CatalogFile) : null;
}

export function loadCatalog(
  backends: readonly CloudBackend[] = CLOUD_BACKENDS,
  dir: string = bundledDataDir(),
  cacheDir?: string,
): CatalogFile[] {
  return backends.map((b) => loadCatalogFile(b, dir, cacheDir));
}

/** The date of the prices in use: the newest `prices_taken` of the files. */
export function pricesTaken(files: readonly CatalogFile[]): string {
  return files.map((f) => f.prices_taken).reduce((a, b) => (a > b ? a : b), "");
}
