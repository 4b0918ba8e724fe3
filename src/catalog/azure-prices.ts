// Azure Retail Prices API (public, no credentials) -> hourly Linux prices of the VM sizes the catalog
// knows. `parseAzurePrices` is pure: pages of `Items` in, one row per (size, region) out. The fetcher asks
// only for what the catalog can use (Virtual Machines, Consumption, our sizes and regions, filtered on the
// server) and follows `NextPageLink`, one request at a time, each with its own timeout.
import { AZURE_PRICES_URL, fetchFailure } from "./price-sources.js";

export const AZURE_API_VERSION = "2023-01-01-preview";

/** Sizes per request: each batch is one `armSkuName eq '…' or …` filter, so a few requests cover all. */
export const AZURE_SKU_BATCH = 10;

/** A runaway `NextPageLink` chain stops here (a full answer for our sizes is a handful of pages). */
export const AZURE_MAX_PAGES = 200;

/** What the API says for one known size in one region: Linux pay-as-you-go, and spot where sold. */
export interface AzurePrice {
  instance_type: string;
  region: string;
  on_demand: number;
  /** null: no spot price, or one not below on-demand. */
  spot: number | null;
}

/**
 * Rows for the sizes in `known` (ARM names, e.g. `Standard_NC24ads_A100_v4`), sorted by size then region.
 * Kept: USD, "1 Hour", `type` Consumption, primary meter region, non-Windows products. Spot comes from
 * skuName "… Spot"; "… Low Priority" (the retired Batch tier) is ignored. A (size, region) needs an
 * on-demand price to give a row. Duplicate meters keep the lowest price. `regions`, when given, limits
 * the rows to those regions.
 */
export function parseAzurePrices(
  pages: readonly (readonly unknown[])[],
  known: ReadonlySet<string>,
  regions?: ReadonlySet<string>,
): AzurePrice[] {
  const found = new Map<string, { type: string; region: string; onDemand?: number; spot?: number }>();
  for (const page of pages)
    for (const raw of page) {
      const item = priceItem(raw);
      if (item === null || !known.has(item.sku)) continue;
      if (regions !== undefined && !regions.has(item.region)) continue;
      const key = `${item.sku}\u0000${item.region}`;
      const entry = found.get(key) ?? { type: item.sku, region: item.region };
      if (item.spot) entry.spot = Math.min(entry.spot ?? Infinity, item.price);
      else entry.onDemand = Math.min(entry.onDemand ?? Infinity, item.price);
      found.set(key, entry);
    }
  const rows: AzurePrice[] = [];
  for (const { type, region, onDemand, spot } of found.values()) {
    if (onDemand === undefined) continue;
    rows.push({
      instance_type: type,
      region,
      on_demand: onDemand,
      spot: spot !== undefined && spot < onDemand ? spot : null,
    });
  }
  return rows.sort((a, b) => compare(a.instance_type, b.instance_type) || compare(a.region, b.region));
}

interface PriceItem {
  sku: string;
  region: string;
  price: number;
  spot: boolean;
}

/** One usable Linux consumption price, or null for anything the catalog does not take. */
function priceItem(raw: unknown): PriceItem | null {
  if (typeof raw !== "object" || raw === null) return null;
  const item = raw as Record<string, unknown>;
  const sku = item.armSkuName;
  const region = item.armRegionName;
  const price = item.retailPrice;
  const skuName = typeof item.skuName === "string" ? item.skuName.trim() : "";
  const product = typeof item.productName === "string" ? item.productName.trim() : "";
  if (typeof sku !== "string" || typeof region !== "string" || region === "") return null;
  if (typeof price !== "number" || !Number.isFinite(price) || price <= 0) return null;
  if (item.type !== "Consumption" || item.currencyCode !== "USD" || item.unitOfMeasure !== "1 Hour")
    return null;
  if (item.isPrimaryMeterRegion === false) return null;
  if (item.serviceName !== undefined && item.serviceName !== "Virtual Machines") return null;
  if (product === "" || product.endsWith("Windows") || skuName.endsWith("Low Priority")) return null;
  return { sku, region, price, spot: skuName.endsWith(" Spot") };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The OData filters for `skus`, `batch` sizes each, optionally limited to `regions`. */
export function azureFilters(
  skus: readonly string[],
  regions: readonly string[] = [],
  batch: number = AZURE_SKU_BATCH,
): string[] {
  const anyOf = (field: string, values: readonly string[]): string =>
    `(${values.map((v) => `${field} eq '${v.replaceAll("'", "''")}'`).join(" or ")})`;
  const filters: string[] = [];
  for (let i = 0; i < skus.length; i += batch) {
    const parts = [
      "serviceName eq 'Virtual Machines'",
      "priceType eq 'Consumption'",
      anyOf("armSkuName", skus.slice(i, i + batch)),
    ];
    if (regions.length > 0) parts.push(anyOf("armRegionName", regions));
    filters.push(parts.join(" and "));
  }
  return filters;
}

/** One GET: the status, and the parsed JSON body when the status is 2xx. */
export type FetchJson = (url: string, signal: AbortSignal) => Promise<{ status: number; body: unknown }>;

export const defaultFetchJson: FetchJson = async (url, signal) => {
  const response = await fetch(url, { signal, method: "GET", headers: { accept: "application/json" } });
  if (!response.ok) {
    await response.body?.cancel();
    return { status: response.status, body: undefined };
  }
  return { status: response.status, body: await response.json() };
};

/**
 * The server answered, but not with every page: an HTTP error, a body that is not a Retail Prices page,
 * a runaway NextPageLink chain, or a later page that did not come. `status` is the last HTTP status seen.
 */
export class AzureFetchError extends Error {
  constructor(
    message: string,
    readonly status: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "AzureFetchError";
  }
}

export interface AzureFetchOptions {
  /** ARM size names to ask for. */
  skus: readonly string[];
  /** Regions to ask for; empty or absent: every region. */
  regions?: readonly string[];
  /** The endpoint (default the public API; DSTACK_PRICE_API_URL redirects it). */
  url?: string;
  /** Per request. */
  timeoutMs: number;
  signal?: AbortSignal;
  fetchJson?: FetchJson;
  batch?: number;
  maxPages?: number;
}

export interface AzureFetchResult {
  /** The `Items` of every page, in order. */
  pages: unknown[][];
  requests: number;
}

/**
 * Every page for `skus`, batch after batch. Throws AzureFetchError once the server has answered, or the
 * network/timeout error when the first request gets no answer (the API is unreachable).
 */
export async function fetchAzurePrices(options: AzureFetchOptions): Promise<AzureFetchResult> {
  const fetchJson = options.fetchJson ?? defaultFetchJson;
  const endpoint = options.url ?? AZURE_PRICES_URL;
  const maxPages = options.maxPages ?? AZURE_MAX_PAGES;
  const pages: unknown[][] = [];
  let requests = 0;
  let lastStatus = 0;
  for (const filter of azureFilters(options.skus, options.regions, options.batch)) {
    let next: string | null =
      `${endpoint}?api-version=${AZURE_API_VERSION}&$filter=${encodeURIComponent(filter)}`;
    const seen = new Set<string>();
    while (next !== null) {
      if (seen.has(next)) throw new AzureFetchError(`NextPageLink repeats a page (${next})`, lastStatus);
      if (requests >= maxPages) throw new AzureFetchError(`more than ${maxPages} pages`, lastStatus);
      seen.add(next);
      const timeout = AbortSignal.timeout(options.timeoutMs);
      const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
      requests++;
      let answer: { status: number; body: unknown };
      try {
        answer = await fetchJson(next, signal);
      } catch (error) {
        if (lastStatus === 0) throw error;
        const why = fetchFailure(error, options.timeoutMs);
        throw new AzureFetchError(`request ${requests}: ${why}`, lastStatus, { cause: error });
      }
      const { status, body } = answer;
      lastStatus = status;
      if (status < 200 || status >= 300) throw new AzureFetchError(`HTTP ${status}`, status);
      const page = retailPage(body);
      if (page === null)
        throw new AzureFetchError(`HTTP ${status} but not a Retail Prices page (no Items list)`, status);
      pages.push(page.items);
      next = page.next;
    }
  }
  return { pages, requests };
}

function retailPage(body: unknown): { items: unknown[]; next: string | null } | null {
  if (typeof body !== "object" || body === null) return null;
  const { Items: items, NextPageLink: next } = body as Record<string, unknown>;
  if (!Array.isArray(items)) return null;
  return { items: items as unknown[], next: typeof next === "string" && next !== "" ? next : null };
}
