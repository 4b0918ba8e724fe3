// `dstack catalog update` through the built CLI against a fake Azure Retail Prices API on 127.0.0.1, then
// `dstack offer` under the same HOME. The bundle is built once by test/global-setup.ts.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogFile } from "../../src/catalog/data-format.js";
import { startFakeAzure, type FakeAzure } from "../unit/catalog/fake-azure.js";
import { dstack, dstackAsync } from "./run-cli.js";

let fake: FakeAzure;

beforeAll(async () => {
  fake = await startFakeAzure();
});
afterAll(async () => {
  await fake.close();
});

describe("dstack catalog update (Azure answers)", () => {
  it("refreshes Azure into ~/.dstack/catalog, keeps AWS/GCP bundled, and offer uses the new price", async () => {
    const home = mkdtempSync(join(tmpdir(), "dstack-home-"));
    const env = { HOME: home, DSTACK_PRICE_API_URL: fake.url };
    const { code, stdout, stderr } = await dstackAsync(["catalog", "update", "--timeout", "5"], { env });
    expect(code, stderr).toBe(0);
    const today = new Date().toISOString().slice(0, 10);
    expect(stdout).toMatch(/aws\s+reachable \(HTTP 404\): refresh not implemented: keeping bundled prices/);
    expect(stdout).toMatch(/gcp\s+reachable \(HTTP 404\): refresh not implemented: keeping bundled prices/);
    expect(stdout).toMatch(/azure\s+reachable \(HTTP 200, 5 requests\): prices refreshed/);
    expect(stdout).toContain(`Refreshed azure prices, taken ${today}: 3 rows updated, 1 added`);
    expect(stdout).toMatch(/eastus\s+2 rows/);
    expect(stdout).toMatch(/northcentralus\s+1 row$/m);
    const cached = JSON.parse(
      readFileSync(join(home, ".dstack", "catalog", "azure.json"), "utf8"),
    ) as CatalogFile;
    expect(cached.prices_taken).toBe(today);

    const offer = dstack(
      ["offer", "-b", "azure", "--gpu", "A100:80GB:1", "-r", "eastus", "--on-demand", "--json"],
      { env },
    );
    expect(offer.code, offer.stderr).toBe(0);
    const { offers } = JSON.parse(offer.stdout) as { offers: { instance_type: string; price: number }[] };
    expect(offers.find((o) => o.instance_type === "Standard_NC24ads_A100_v4")?.price).toBe(3.21);

    const json = await dstackAsync(["catalog", "update", "--json"], { env });
    const report = JSON.parse(json.stdout) as { updated: boolean; prices_taken: string };
    expect(report).toMatchObject({ prices_taken: today });
  });
});
