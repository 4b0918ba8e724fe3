// A stand-in for the Azure Retail Prices API on 127.0.0.1 (random port): it answers
// GET /api/retail/prices with the items whose armSkuName the request's $filter names, in two pages
// (page 1 links to page 2 through NextPageLink, as the real API does with $skip). Other paths get 404,
// which the AWS and GCP probes report as reachable.
import { createServer, type Server } from "node:http";

export interface RetailItem {
  currencyCode: string;
  retailPrice: number;
  unitPrice: number;
  armRegionName: string;
  location: string;
  meterName: string;
  productName: string;
  skuName: string;
  serviceName: string;
  armSkuName: string;
  type: string;
  unitOfMeasure: string;
  isPrimaryMeterRegion: boolean;
}

/** An item shaped like the API's, for `armSku` ("Standard_NC24ads_A100_v4") in `region` at `price`. */
export function retailItem(
  armSku: string,
  region: string,
  price: number,
  options: { sku?: "Spot" | "Low Priority"; windows?: boolean; type?: string; primary?: boolean } = {},
): RetailItem {
  const meter = armSku.replace(/^Standard_/, "").replaceAll("_", " ");
  const name = options.sku === undefined ? meter : `${meter} ${options.sku}`;
  return {
    currencyCode: "USD",
    retailPrice: price,
    unitPrice: price,
    armRegionName: region,
    location: region,
    meterName: name,
    productName: `Virtual Machines ${meter.split(" ")[0]} Series${options.windows === true ? " Windows" : ""}`,
    skuName: name,
    serviceName: "Virtual Machines",
    armSkuName: armSku,
    type: options.type ?? "Consumption",
    unitOfMeasure: options.type === "Reservation" ? "1 Year" : "1 Hour",
    isPrimaryMeterRegion: options.primary ?? true,
  };
}

const A100 = "Standard_NC24ads_A100_v4";
const H100 = "Standard_NC40ads_H100_v5";
const D4 = "Standard_D4s_v5";

/** The fake's price list: what the refresh must take, and everything it must leave out. */
export const FAKE_ITEMS: RetailItem[] = [
  retailItem(A100, "eastus", 3.21),
  retailItem(A100, "eastus", 0.81, { sku: "Spot" }),
  retailItem(A100, "eastus", 4.05, { windows: true }),
  retailItem(A100, "eastus", 1.05, { sku: "Spot", windows: true }),
  retailItem(A100, "eastus", 0.5, { sku: "Low Priority" }),
  retailItem(A100, "eastus", 19000, { type: "Reservation" }),
  retailItem(A100, "eastus", 1.5, { type: "DevTestConsumption" }),
  retailItem(A100, "eastus", 1.11, { primary: false }),
  // A known region the bundled catalog has no A100 row for: added, spot unknown.
  retailItem(A100, "northcentralus", 3.5),
  // A region outside the catalog: left out.
  retailItem(A100, "southafricanorth", 5.0),
  // Spot not below on-demand: no spot price.
  retailItem(H100, "eastus", 6.98),
  retailItem(H100, "eastus", 7.5, { sku: "Spot" }),
  // A row the bundled file marks estimated and with zones: refreshed, zones kept, flags dropped.
  retailItem(D4, "westeurope", 0.23),
  retailItem(D4, "westeurope", 0.046, { sku: "Spot" }),
  // A size the catalog does not know.
  retailItem("Standard_E2s_v5", "eastus", 0.126),
];

export interface FakeAzure {
  /** The base URL to pass as DSTACK_PRICE_API_URL. */
  url: string;
  /** The request URLs (path and query) in the order received. */
  requests: string[];
  close(): Promise<void>;
}

export async function startFakeAzure(items: readonly RetailItem[] = FAKE_ITEMS): Promise<FakeAzure> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? "");
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname !== "/api/retail/prices") {
      res.writeHead(404, { "content-type": "application/json" }).end("{}");
      return;
    }
    const filter = url.searchParams.get("$filter") ?? "";
    const skus = new Set([...filter.matchAll(/armSkuName eq '([^']+)'/g)].map((m) => m[1]));
    const matching = items.filter((i) => skus.has(i.armSkuName));
    const half = Math.ceil(matching.length / 2);
    const skip = Number(url.searchParams.get("$skip") ?? "0");
    const page = skip === 0 ? matching.slice(0, half) : matching.slice(skip);
    const next = skip === 0 && half < matching.length ? new URL(url.href) : null;
    next?.searchParams.set("$skip", String(half));
    const address = server.address();
    const port = address !== null && typeof address === "object" ? address.port : 0;
    const body = {
      BillingCurrency: "USD",
      CustomerEntityId: "Default",
      CustomerEntityType: "Retail",
      Items: page,
      NextPageLink: next === null ? null : `http://127.0.0.1:${port}${next.pathname}${next.search}`,
      Count: page.length,
    };
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return {
    url: `http://127.0.0.1:${address.port}/`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
