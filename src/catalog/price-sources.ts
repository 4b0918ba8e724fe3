// The clouds' public price APIs that `dstack catalog update` asks. All three answer without credentials.
import type { CloudBackend } from "./data-format.js";

export interface PriceSource {
  backend: CloudBackend;
  url: string;
}

export const PRICE_SOURCES: readonly PriceSource[] = [
  // The EC2 price list index of the AWS Price List bulk API.
  {
    backend: "aws",
    url: "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/current/region_index.json",
  },
  // Cloud Billing Catalog: the SKUs of Compute Engine (service 6F81-5844-456A).
  { backend: "gcp", url: "https://cloudbilling.googleapis.com/v1/services/6F81-5844-456A/skus" },
  // Azure Retail Prices API.
  {
    backend: "azure",
    url: "https://prices.azure.com/api/retail/prices?$filter=serviceName%20eq%20%27Virtual%20Machines%27",
  },
];

/** The Azure Retail Prices endpoint that `dstack catalog update` reads prices from (azure-prices.ts). */
export const AZURE_PRICES_URL = "https://prices.azure.com/api/retail/prices";

/**
 * The URL to ask instead when a base URL is set (DSTACK_PRICE_API_URL): the same path on that server,
 * without the query. Absent or empty base: the URL itself.
 */
export function redirectUrl(url: string, base: string | undefined): string {
  if (base === undefined || base === "") return url;
  return new URL(new URL(url).pathname, base).href;
}

/** Send every source to one base URL instead (a mirror, or a test server). */
export function redirectSources(sources: readonly PriceSource[], base: string): PriceSource[] {
  return sources.map((s) => ({ ...s, url: redirectUrl(s.url, base) }));
}

/** Why a request got no answer: a timeout, or the network error's code (ECONNREFUSED, ENOTFOUND...). */
export function fetchFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError"))
    return `no answer within ${timeoutMs / 1000}s`;
  const cause =
    error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
