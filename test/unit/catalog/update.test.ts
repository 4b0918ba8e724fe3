// `dstack catalog update`: offline, a dead local port stands in for the network; online, a fake Azure
// Retail Prices API on 127.0.0.1 (fake-azure.ts).
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bundledDataDir } from "../../../src/catalog/data-dir.js";
import type { CatalogFile, CatalogPriceRow } from "../../../src/catalog/data-format.js";
import { catalogInUse, loadCatalogFile } from "../../../src/catalog/load.js";
import type { Offer } from "../../../src/catalog/offer.js";
import { loadOffers } from "../../../src/catalog/offers.js";
import { PRICE_SOURCES, redirectSources } from "../../../src/catalog/price-sources.js";
import { probeSources, updateCatalog } from "../../../src/catalog/update.js";
import { startFakeAzure, type FakeAzure } from "./fake-azure.js";
import { MACHINE } from "./helpers.js";

async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe("price sources", () => {
  it("are unreachable on a port nothing listens on, with the reason", async () => {
    const sources = redirectSources(PRICE_SOURCES, `http://127.0.0.1:${await deadPort()}/`);
    expect(sources.every((s) => s.url.startsWith("http://127.0.0.1:"))).toBe(true);
    const results = await probeSources(sources, { timeoutMs: 2000 });
    expect(results.map((r) => r.backend)).toEqual(["aws", "gcp", "azure"]);
    for (const r of results) expect(r).toMatchObject({ reachable: false, detail: "ECONNREFUSED" });
  });

  it("report a timeout as such, and HTTP answers as reachable", async () => {
    const slow = await probeSources(PRICE_SOURCES.slice(0, 1), {
      timeoutMs: 50,
      fetchText: (_url, signal) =>
        new Promise((_resolve, reject) =>
          signal.addEventListener("abort", () => reject(signal.reason as Error)),
        ),
    });
    expect(slow[0]).toMatchObject({ reachable: false, detail: "no answer within 0.05s" });
    const ok = await probeSources(PRICE_SOURCES, {
      timeoutMs: 50,
      fetchText: () => Promise.resolve({ status: 200 }),
    });
    expect(ok.every((r) => r.reachable && r.detail === "HTTP 200")).toBe(true);
  });
});

// The refresh against a fake Azure Retail Prices API on 127.0.0.1, with a temporary HOME.
describe("updateCatalog", () => {
  const A100 = "Standard_NC24ads_A100_v4";
  const bundledPath = join(bundledDataDir(), "azure.json");
  const bundled = JSON.parse(readFileSync(bundledPath, "utf8")) as CatalogFile;
  const today = new Date().toISOString().slice(0, 10);
  let fake: FakeAzure;
  let home: string;

  beforeEach(async () => {
    fake = await startFakeAzure();
    home = mkdtempSync(join(tmpdir(), "dstack-home-"));
  });
  afterEach(async () => {
    await fake.close();
    rmSync(home, { recursive: true, force: true });
  });

  it("writes the refreshed Azure catalog to the user's cache, following NextPageLink", async () => {
    const before = readFileSync(bundledPath);
    const report = await updateCatalog({ home, timeoutMs: 2000, base: fake.url, today });
    const cachePath = join(home, ".dstack", "catalog", "azure.json");
    expect(report.refreshed).toEqual([
      {
        backend: "azure",
        path: cachePath,
        prices_taken: today,
        regions: { eastus: 2, northcentralus: 1, westeurope: 1 },
        updated: 3,
        added: 1,
        requests: 5, // three batches of sizes; the two with prices have two pages each
        in_use: today > bundled.prices_taken,
      },
    ]);
    const prices = fake.requests.filter((r) => r.startsWith("/api/retail/prices"));
    expect(prices).toHaveLength(5);
    expect(prices.filter((r) => new URL(r, fake.url).searchParams.has("$skip"))).toHaveLength(2);
    for (const r of prices) {
      const filter = new URL(r, fake.url).searchParams.get("$filter") ?? "";
      expect(filter).toMatch(/^serviceName eq 'Virtual Machines' and priceType eq 'Consumption' and \(/);
    }
    expect(report.sources.map((s) => [s.backend, s.reachable, s.refresh])).toEqual([
      ["aws", true, "not_implemented"],
      ["gcp", true, "not_implemented"],
      ["azure", true, "refreshed"],
    ]);

    const cached = JSON.parse(readFileSync(cachePath, "utf8")) as CatalogFile;
    expect(cached.prices_taken).toBe(today);
    expect(cached.instance_types).toEqual(bundled.instance_types);
    const row = (type: string, region: string): CatalogPriceRow | undefined =>
      cached.prices.find((p) => p.instance_type === type && p.region === region);
    expect(row(A100, "eastus")).toEqual({
      instance_type: A100,
      region: "eastus",
      zones: [],
      on_demand: 3.21,
      spot: 0.81,
    });
    expect(row(A100, "northcentralus")).toEqual({
      instance_type: A100,
      region: "northcentralus",
      zones: [],
      on_demand: 3.5,
      spot: null,
    });
    expect(row(A100, "southafricanorth")).toBeUndefined();
    expect(row("Standard_NC40ads_H100_v5", "eastus")).toMatchObject({ on_demand: 6.98, spot: null });
    // Zones kept, estimated flags gone.
    expect(row("Standard_D4s_v5", "westeurope")).toEqual({
      instance_type: "Standard_D4s_v5",
      region: "westeurope",
      zones: ["westeurope-1", "westeurope-2", "westeurope-3"],
      on_demand: 0.23,
      spot: 0.046,
    });
    // Every other row is the bundled row, unchanged and in place; the added row follows the type's last.
    const changed = new Set([
      `${A100} eastus`,
      `${A100} northcentralus`,
      "Standard_NC40ads_H100_v5 eastus",
      "Standard_D4s_v5 westeurope",
    ]);
    const same = (p: CatalogPriceRow): boolean => !changed.has(`${p.instance_type} ${p.region}`);
    expect(cached.prices.filter(same)).toEqual(bundled.prices.filter(same));
    const lastA100 = bundled.prices.map((p) => p.instance_type).lastIndexOf(A100);
    expect(cached.prices[lastA100 + 1]).toMatchObject({ instance_type: A100, region: "northcentralus" });
    expect(cached.prices).toHaveLength(bundled.prices.length + 1);
    // The bundled file in the repository is not touched.
    expect(readFileSync(bundledPath).equals(before)).toBe(true);
  });

  it("gives a file the catalog checker accepts", async () => {
    await updateCatalog({ home, timeoutMs: 2000, base: fake.url, today });
    const dir = mkdtempSync(join(tmpdir(), "dstack-check-"));
    for (const b of ["aws", "gcp"]) copyFileSync(join(bundledDataDir(), `${b}.json`), join(dir, `${b}.json`));
    copyFileSync(join(home, ".dstack", "catalog", "azure.json"), join(dir, "azure.json"));
    const check = spawnSync(process.execPath, ["scripts/check-catalog-data.mjs", dir], { encoding: "utf8" });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it("makes loadOffers use the refreshed prices under that home, and only there", async () => {
    const report = await updateCatalog({ home, timeoutMs: 2000, base: fake.url, today });
    expect(report.in_use.find((c) => c.backend === "azure")).toMatchObject({
      cached: true,
      prices_taken: today,
    });
    expect(report.prices_taken).toBe(today);
    const offer = (source: { home?: string }, spot: boolean): Offer | undefined =>
      loadOffers({ backends: ["azure"], machine: MACHINE, ...source }).offers.find(
        (o) => o.instance_type === A100 && o.region === "eastus" && o.spot === spot,
      );
    expect(offer({ home }, false)).toMatchObject({ price: 3.21, price_estimated: false });
    expect(offer({ home }, true)).toMatchObject({ price: 0.81 });
    const nc = loadOffers({ backends: ["azure"], machine: MACHINE, home }).offers;
    expect(nc.some((o) => o.instance_type === A100 && o.region === "northcentralus")).toBe(true);
    expect(offer({}, false)).toMatchObject({ price: 3.673 });
  });

  it("prefers the cache only while it is newer than the bundled file, and ignores a broken one", () => {
    const dir = join(home, ".dstack", "catalog");
    mkdirSync(dir, { recursive: true });
    const write = (file: unknown): void => writeFileSync(join(dir, "azure.json"), JSON.stringify(file));
    write({ ...bundled, prices_taken: "2000-01-01", prices: [] });
    expect(catalogInUse("azure", bundledDataDir(), dir)).toMatchObject({ cached: false, path: bundledPath });
    write({ ...bundled, prices_taken: "2999-01-01", prices: [] });
    expect(catalogInUse("azure", bundledDataDir(), dir)).toMatchObject({ cached: true });
    write({ ...bundled, backend: "aws", prices_taken: "2999-01-01" });
    expect(catalogInUse("azure", bundledDataDir(), dir).cached).toBe(false);
    writeFileSync(join(dir, "azure.json"), "{ not json");
    expect(loadCatalogFile("azure", bundledDataDir(), dir)).toEqual(bundled);
  });

  it("keeps the catalog and writes nothing when Azure answers with an error or is offline", async () => {
    const failing = await updateCatalog({
      home,
      timeoutMs: 2000,
      base: fake.url,
      fetchJson: () => Promise.resolve({ status: 400, body: undefined }),
    });
    expect(failing.sources[2]).toMatchObject({
      backend: "azure",
      reachable: true,
      detail: "HTTP 400",
      refresh: "failed",
    });
    expect(failing.refreshed).toEqual([]);
    // A home where the cache cannot be written: a failed refresh, not a crash.
    writeFileSync(join(home, ".dstack"), "a file, not a folder");
    const unwritable = await updateCatalog({ home, timeoutMs: 2000, base: fake.url });
    expect(unwritable.sources[2]).toMatchObject({ refresh: "failed", refresh_error: /^cannot write / });
    rmSync(join(home, ".dstack"));
    const offline = await updateCatalog({
      home,
      timeoutMs: 2000,
      base: `http://127.0.0.1:${await deadPort()}/`,
    });
    expect(offline.sources.map((s) => [s.reachable, s.detail, s.refresh])).toEqual([
      [false, "ECONNREFUSED", "not_implemented"],
      [false, "ECONNREFUSED", "not_implemented"],
      [false, "ECONNREFUSED", "offline"],
    ]);
    expect(offline).toMatchObject({ updated: false, refreshed: [], prices_taken: bundled.prices_taken });
    expect(existsSync(join(home, ".dstack", "catalog", "azure.json"))).toBe(false);
  });
});
