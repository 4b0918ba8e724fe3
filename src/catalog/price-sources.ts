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

/** Send every source to one base URL instead (a mirror, or a test server). */
export function redirectSources(sources: readonly PriceSource[], base: string): PriceSource[] {
  return sources.map((s) => ({ ...s, url: new URL(new URL(s.url).pathname, base).href }));
}
