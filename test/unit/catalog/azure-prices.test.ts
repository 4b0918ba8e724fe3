// Azure Retail Prices: which items become catalog prices, how the filters are batched, and how the
// fetcher follows pages and fails.
import { describe, expect, it } from "vitest";
import {
  AzureFetchError,
  azureFilters,
  fetchAzurePrices,
  parseAzurePrices,
  type FetchJson,
} from "../../../src/catalog/azure-prices.js";
import { FAKE_ITEMS, retailItem } from "./fake-azure.js";

const A100 = "Standard_NC24ads_A100_v4";
const KNOWN = new Set([A100, "Standard_NC40ads_H100_v5", "Standard_D4s_v5"]);

describe("parseAzurePrices", () => {
  it("takes Linux consumption prices of primary meter regions, and spot from '… Spot' skus", () => {
    const rows = parseAzurePrices([FAKE_ITEMS], KNOWN);
    expect(rows.find((r) => r.instance_type === A100 && r.region === "eastus")).toEqual({
      instance_type: A100,
      region: "eastus",
      on_demand: 3.21, // not Windows 4.05, DevTest 1.5, Reservation, or the non-primary 1.11
      spot: 0.81, // not Low Priority 0.5 or Windows spot 1.05
    });
  });

  it("ignores unknown sizes, and regions outside the given set", () => {
    const all = parseAzurePrices([FAKE_ITEMS], KNOWN);
    expect(all.some((r) => r.instance_type === "Standard_E2s_v5")).toBe(false);
    expect(all.map((r) => `${r.instance_type} ${r.region}`)).toEqual([
      "Standard_D4s_v5 westeurope",
      `${A100} eastus`,
      `${A100} northcentralus`,
      `${A100} southafricanorth`,
      "Standard_NC40ads_H100_v5 eastus",
    ]);
    const limited = parseAzurePrices([FAKE_ITEMS], KNOWN, new Set(["eastus", "westeurope"]));
    expect(limited.map((r) => r.region)).toEqual(["westeurope", "eastus", "eastus"]);
  });

  it("gives no spot price when there is none or it is not below on-demand", () => {
    const rows = parseAzurePrices([FAKE_ITEMS], KNOWN);
    expect(rows.find((r) => r.region === "northcentralus")?.spot).toBeNull();
    expect(rows.find((r) => r.instance_type === "Standard_NC40ads_H100_v5")).toMatchObject({
      on_demand: 6.98,
      spot: null,
    });
  });

  it("needs an on-demand price, merges pages, and keeps the lowest of duplicate meters", () => {
    const spotOnly = [retailItem(A100, "westus", 0.7, { sku: "Spot" })];
    expect(parseAzurePrices([spotOnly], KNOWN)).toEqual([]);
    const pages = [
      [retailItem(A100, "westus", 4.9), retailItem(A100, "westus", 0.7, { sku: "Spot" })],
      [retailItem(A100, "westus", 4.775)],
    ];
    expect(parseAzurePrices(pages, KNOWN)).toEqual([
      { instance_type: A100, region: "westus", on_demand: 4.775, spot: 0.7 },
    ]);
  });

  it("skips items that are malformed or not hourly USD", () => {
    const good = retailItem(A100, "westus", 4.775);
    const items: unknown[] = [
      null,
      "text",
      { ...good, retailPrice: "4.7" },
      { ...good, retailPrice: 0 },
      { ...good, currencyCode: "EUR" },
      { ...good, unitOfMeasure: "1 Year" },
      { ...good, armRegionName: "" },
      { ...good, serviceName: "Virtual Machines Licenses" },
    ];
    expect(parseAzurePrices([items], KNOWN)).toEqual([]);
  });
});

describe("azureFilters", () => {
  it("asks for VM consumption prices of a batch of sizes (and regions) per filter", () => {
    const skus = Array.from({ length: 24 }, (_, i) => `Standard_S${i}`);
    const filters = azureFilters(skus, ["eastus", "westus"]);
    expect(filters).toHaveLength(3);
    expect(filters[0]).toBe(
      "serviceName eq 'Virtual Machines' and priceType eq 'Consumption' and (" +
        skus
          .slice(0, 10)
          .map((s) => `armSkuName eq '${s}'`)
          .join(" or ") +
        ") and (armRegionName eq 'eastus' or armRegionName eq 'westus')",
    );
    expect(azureFilters(["it's"])[0]).toContain("armSkuName eq 'it''s')");
    expect(azureFilters(["a"])[0]).not.toContain("armRegionName");
  });
});

describe("fetchAzurePrices", () => {
  const page = (items: unknown[], next: string | null): { status: number; body: unknown } => ({
    status: 200,
    body: { BillingCurrency: "USD", Items: items, NextPageLink: next, Count: items.length },
  });

  it("follows NextPageLink and sends the filter with the api version", async () => {
    const urls: string[] = [];
    const fetchJson: FetchJson = (url) => {
      urls.push(url);
      return Promise.resolve(url.endsWith("&$skip=1") ? page([2], null) : page([1], `${url}&$skip=1`));
    };
    const result = await fetchAzurePrices({
      skus: ["Standard_A"],
      url: "http://mirror/api/retail/prices",
      timeoutMs: 1000,
      fetchJson,
    });
    expect(result).toEqual({ pages: [[1], [2]], requests: 2 });
    const first = new URL(urls[0]!);
    expect(first.searchParams.get("api-version")).toBe("2023-01-01-preview");
    expect(first.searchParams.get("$filter")).toBe(
      "serviceName eq 'Virtual Machines' and priceType eq 'Consumption' and (armSkuName eq 'Standard_A')",
    );
    expect(urls[0]).toContain("%20eq%20");
  });

  it("fails on an HTTP error, a body that is not a page, or a NextPageLink loop", async () => {
    const options = { skus: ["Standard_A"], timeoutMs: 1000 };
    await expect(
      fetchAzurePrices({ ...options, fetchJson: () => Promise.resolve({ status: 429, body: undefined }) }),
    ).rejects.toMatchObject({ name: "AzureFetchError", status: 429, message: "HTTP 429" });
    await expect(
      fetchAzurePrices({
        ...options,
        fetchJson: () => Promise.resolve({ status: 200, body: { items: [] } }),
      }),
    ).rejects.toThrow(/not a Retail Prices page/);
    await expect(
      fetchAzurePrices({ ...options, fetchJson: (url) => Promise.resolve(page([], url)) }),
    ).rejects.toThrow(/NextPageLink repeats/);
  });

  it("times each request out, and a later page's failure is a failed refresh, not 'unreachable'", async () => {
    const hang: FetchJson = (url, signal) =>
      url.includes("$skip")
        ? new Promise((_resolve, reject) =>
            signal.addEventListener("abort", () => reject(signal.reason as Error)),
          )
        : Promise.resolve(page([1], `${url}&$skip=1`));
    const error = await fetchAzurePrices({ skus: ["Standard_A"], timeoutMs: 50, fetchJson: hang }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AzureFetchError);
    expect(error).toMatchObject({ status: 200, message: "request 2: no answer within 0.05s" });
    const first = await fetchAzurePrices({
      skus: ["Standard_A"],
      timeoutMs: 50,
      fetchJson: (_url, signal) =>
        new Promise((_resolve, reject) =>
          signal.addEventListener("abort", () => reject(signal.reason as Error)),
        ),
    }).catch((e: unknown) => e);
    expect(first).not.toBeInstanceOf(AzureFetchError);
    expect(first).toMatchObject({ name: "TimeoutError" });
  });
});
