// `dstack catalog update`: ask each cloud's public price API, briefly. Azure's prices are refreshed when
// its Retail Prices API answers: the bundled azure.json with the new prices goes to the user's cache
// (~/.dstack/catalog/azure.json), which the offer loader prefers while it is newer. AWS (bulk files of
// hundreds of MB) and GCP (its API needs a key) are only probed: their bundled prices stay in use. The
// bundled files are never written. The network is injected (`fetchText`, `fetchJson`), and the base URL
// can be redirected, so tests run against a dead port or a local fake server.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  AzureFetchError,
  fetchAzurePrices,
  parseAzurePrices,
  type AzurePrice,
  type FetchJson,
} from "./azure-prices.js";
import { catalogDir } from "../home/paths.js";
import { bundledDataDir } from "./data-dir.js";
import { CLOUD_BACKENDS, type CatalogFile, type CatalogPriceRow, type CloudBackend } from "./data-format.js";
import { catalogInUse, loadCatalogFile, pricesTaken } from "./load.js";
import {
  AZURE_PRICES_URL,
  fetchFailure,
  PRICE_SOURCES,
  redirectSources,
  redirectUrl,
  type PriceSource,
} from "./price-sources.js";

export type FetchText = (url: string, signal: AbortSignal) => Promise<{ status: number }>;

export interface SourceResult {
  backend: CloudBackend;
  url: string;
  reachable: boolean;
  /** The HTTP status, or why no answer came. */
  detail: string;
}

/**
 * What became of one backend's prices: refreshed into the cache; the API answered but the refresh
 * failed; no refresh exists for this backend (AWS, GCP); or the API did not answer (Azure).
 */
export type RefreshStatus = "refreshed" | "failed" | "not_implemented" | "offline";

export interface SourceUpdate extends SourceResult {
  refresh: RefreshStatus;
  /** Why a refresh failed (refresh "failed" only). */
  refresh_error?: string;
}

/** A catalog file written to the user's cache. */
export interface CatalogRefresh {
  backend: CloudBackend;
  path: string;
  prices_taken: string;
  /** Price rows refreshed (updated or added), per region. */
  regions: Record<string, number>;
  updated: number;
  added: number;
  /** API requests made (pages followed). */
  requests: number;
  /** False when the bundled file is as new (e.g. a wrong clock): the loader then keeps the bundled one. */
  in_use: boolean;
}

export interface UpdateReport {
  /** The date of the prices in use after the update: the newest `prices_taken` of the files in use. */
  prices_taken: string;
  updated: boolean;
  sources: SourceUpdate[];
  refreshed: CatalogRefresh[];
  /** The catalog file in use for each backend after the update. */
  in_use: { backend: CloudBackend; path: string; cached: boolean; prices_taken: string }[];
}

export const defaultFetch: FetchText = async (url, signal) => {
  const response = await fetch(url, { signal, method: "GET", headers: { accept: "application/json" } });
  // Only reachability is needed; do not download a price list we would not use.
  await response.body?.cancel();
  return { status: response.status };
};

export async function probeSources(
  sources: readonly PriceSource[],
  options: { timeoutMs: number; fetchText?: FetchText; signal?: AbortSignal },
): Promise<SourceResult[]> {
  const fetchText = options.fetchText ?? defaultFetch;
  return Promise.all(
    sources.map(async (source): Promise<SourceResult> => {
      const timeout = AbortSignal.timeout(options.timeoutMs);
      const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
      try {
        const { status } = await fetchText(source.url, signal);
        return { ...source, reachable: status < 500, detail: `HTTP ${status}` };
      } catch (error) {
        return { ...source, reachable: false, detail: fetchFailure(error, options.timeoutMs) };
      }
    }),
  );
}

export interface UpdateOptions {
  /** The user's home; the refreshed files go to <home>/.dstack/catalog. */
  home: string;
  /** Per request. */
  timeoutMs: number;
  /** DSTACK_PRICE_API_URL: send every request to this server instead (a mirror, or a test server). */
  base?: string;
  signal?: AbortSignal;
  /** YYYY-MM-DD for `prices_taken` (default: today, UTC). */
  today?: string;
  /** The bundled data folder (tests point elsewhere). */
  dataDir?: string;
  fetchText?: FetchText;
  fetchJson?: FetchJson;
}

/** Probe AWS and GCP, refresh Azure, and say what is in use afterwards. Never throws for the network. */
export async function updateCatalog(options: UpdateOptions): Promise<UpdateReport> {
  const dataDir = options.dataDir ?? bundledDataDir();
  const cacheDir = catalogDir(options.home);
  const base = options.base;
  const sources = base === undefined || base === "" ? PRICE_SOURCES : redirectSources(PRICE_SOURCES, base);
  const probed = sources.filter((s) => s.backend !== "azure");
  const [probes, azure] = await Promise.all([
    probeSources(probed, {
      timeoutMs: options.timeoutMs,
      fetchText: options.fetchText,
      signal: options.signal,
    }),
    refreshAzure({ ...options, dataDir, cacheDir, url: redirectUrl(AZURE_PRICES_URL, base) }),
  ]);
  // Reachable or not, AWS and GCP are not refreshed: their bundled prices stay.
  const results: SourceUpdate[] = probes.map((r) => ({ ...r, refresh: "not_implemented" }));
  results.push(azure.source);
  const order = (b: CloudBackend): number => CLOUD_BACKENDS.indexOf(b);
  results.sort((a, b) => order(a.backend) - order(b.backend));
  const refreshed = azure.refresh === null ? [] : [azure.refresh];
  const inUse = CLOUD_BACKENDS.map((b) => catalogInUse(b, dataDir, cacheDir));
  return {
    prices_taken: pricesTaken(inUse.map((c) => c.file)),
    updated: refreshed.some((r) => r.in_use),
    sources: results,
    refreshed,
    in_use: inUse.map((c) => ({
      backend: c.file.backend,
      path: c.path,
      cached: c.cached,
      prices_taken: c.file.prices_taken,
    })),
  };
}

async function refreshAzure(
  options: UpdateOptions & { dataDir: string; cacheDir: string; url: string },
): Promise<{ source: SourceUpdate; refresh: CatalogRefresh | null }> {
  const bundled = loadCatalogFile("azure", options.dataDir);
  const skus = bundled.instance_types.filter((t) => t.id === undefined).map((t) => t.name);
  const regions = [...new Set(bundled.prices.map((p) => p.region))].sort();
  const source: PriceSource = { backend: "azure", url: options.url };
  let fetched: Awaited<ReturnType<typeof fetchAzurePrices>>;
  try {
    fetched = await fetchAzurePrices({
      skus,
      regions,
      url: options.url,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      fetchJson: options.fetchJson,
    });
  } catch (error) {
    if (error instanceof AzureFetchError) {
      const answer = { reachable: error.status < 500, detail: `HTTP ${error.status}` };
      return {
        source: { ...source, ...answer, refresh: "failed", refresh_error: error.message },
        refresh: null,
      };
    }
    return {
      source: {
        ...source,
        reachable: false,
        detail: fetchFailure(error, options.timeoutMs),
        refresh: "offline",
      },
      refresh: null,
    };
  }
  const detail = `HTTP 200, ${fetched.requests} request${fetched.requests === 1 ? "" : "s"}`;
  const prices = parseAzurePrices(fetched.pages, new Set(skus), new Set(regions));
  if (prices.length === 0)
    return {
      source: {
        ...source,
        reachable: true,
        detail,
        refresh: "failed",
        refresh_error: `the answer priced none of the ${skus.length} known sizes in the catalog's regions`,
      },
      refresh: null,
    };
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const merged = mergePrices(bundled, prices, today);
  let path: string;
  try {
    path = writeCatalogFile(options.cacheDir, merged.file);
  } catch (error) {
    const why = `cannot write ${options.cacheDir}: ${error instanceof Error ? error.message : String(error)}`;
    return {
      source: { ...source, reachable: true, detail, refresh: "failed", refresh_error: why },
      refresh: null,
    };
  }
  // The loader's rule (load.ts): the cached file wins only when newer than the bundled one.
  const inUse = today > bundled.prices_taken;
  return {
    source: { ...source, reachable: true, detail, refresh: "refreshed" },
    refresh: {
      backend: "azure",
      path,
      prices_taken: today,
      regions: merged.regions,
      updated: merged.updated,
      added: merged.added,
      requests: fetched.requests,
      in_use: inUse,
    },
  };
}

export interface MergedPrices {
  file: CatalogFile;
  /** Refreshed rows per region. */
  regions: Record<string, number>;
  updated: number;
  added: number;
}

/**
 * The catalog `file` with the `prices` applied, dated `today`. Only known types in the file's regions
 * are taken. A refreshed row keeps its zones, gets the new on-demand and spot prices (spot null when the
 * answer has none) and loses its estimated flags; a (type, region) the file lacks is added with unknown
 * zones, after the type's last row. Rows the answer does not price stay as they are.
 */
export function mergePrices(file: CatalogFile, prices: readonly AzurePrice[], today: string): MergedPrices {
  const types = new Set(file.instance_types.map((t) => t.id ?? t.name));
  const regionsKnown = new Set(file.prices.map((p) => p.region));
  const fresh = new Map<string, AzurePrice>();
  for (const p of prices)
    if (types.has(p.instance_type) && regionsKnown.has(p.region)) fresh.set(rowKey(p), p);
  const regions: Record<string, number> = {};
  const count = (region: string): void => void (regions[region] = (regions[region] ?? 0) + 1);
  let updated = 0;
  const rows: CatalogPriceRow[] = file.prices.map((row) => {
    const p = fresh.get(rowKey(row));
    if (p === undefined) return row;
    fresh.delete(rowKey(row));
    updated++;
    count(row.region);
    const refreshedRow: CatalogPriceRow = { ...row, on_demand: p.on_demand, spot: p.spot };
    delete refreshedRow.spot_estimated;
    delete refreshedRow.on_demand_estimated;
    return refreshedRow;
  });
  let added = 0;
  for (const p of fresh.values()) {
    const row: CatalogPriceRow = {
      instance_type: p.instance_type,
      region: p.region,
      zones: [],
      on_demand: p.on_demand,
      spot: p.spot,
    };
    let last = -1;
    rows.forEach((r, i) => {
      if (r.instance_type === p.instance_type) last = i;
    });
    rows.splice(last === -1 ? rows.length : last + 1, 0, row);
    added++;
    count(p.region);
  }
  const sorted = Object.fromEntries(Object.entries(regions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { file: { ...file, prices_taken: today, prices: rows }, regions: sorted, updated, added };
}

function rowKey(row: { instance_type: string; region: string }): string {
  return `${row.instance_type}\u0000${row.region}`;
}

/** Write `<dir>/<backend>.json` whole (a temporary file renamed over it), in the bundled files' layout. */
function writeCatalogFile(dir: string, file: CatalogFile): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${file.backend}.json`);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(file, null, 1)}\n`);
  renameSync(temporary, path);
  return path;
}
