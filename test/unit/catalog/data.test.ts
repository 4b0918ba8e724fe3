// Loading and expanding the bundled data, and finding it from anywhere in the package.
import { describe, expect, it } from "vitest";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { bundledDataDir } from "../../../src/catalog/data-dir.js";
import type { CatalogFile } from "../../../src/catalog/data-format.js";
import { expandCatalog } from "../../../src/catalog/expand.js";
import { loadCatalog, loadCatalogFile, pricesTaken } from "../../../src/catalog/load.js";
import { loadOffers } from "../../../src/catalog/offers.js";
import { gpuKey } from "../../../src/catalog/gpu-key.js";
import { chooseDiskGb } from "../../../src/catalog/disk.js";
import { MACHINE } from "./helpers.js";

describe("bundled data", () => {
  it("is found by walking up to the package root, from src or from a bundle in dist", () => {
    const root = mkdtempSync(join(tmpdir(), "dstack-catalog-"));
    writeFileSync(join(root, "package.json"), "{}");
    mkdirSync(join(root, "dist"));
    const fromDist = pathToFileURL(join(root, "dist", "chunk-ABC.js")).href;
    expect(bundledDataDir(fromDist)).toBe(join(root, "src", "catalog", "data"));
    expect(bundledDataDir()).toMatch(/src[/\\]catalog[/\\]data$/);
  });

  it("loads every backend with its price date", () => {
    const files = loadCatalog();
    expect(files.map((f) => f.backend)).toEqual(["aws", "gcp", "azure"]);
    expect(pricesTaken(files)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("expands each price row into an on-demand offer and, where sold, a spot offer", () => {
    const file = loadCatalogFile("gcp");
    const offers = expandCatalog(file);
    const spotRows = file.prices.filter((p) => p.spot !== null).length;
    expect(offers).toHaveLength(file.prices.length + spotRows);
    const n1 = offers.find((o) => o.instance_id === "n1-standard-8/1xT4")!;
    expect(n1).toMatchObject({
      instance_type: "n1-standard-8",
      accelerator: "nvidia-tesla-t4",
      gpu_name: "T4",
    });
  });

  it("skips rows whose type is missing rather than failing", () => {
    const file: CatalogFile = {
      backend: "aws",
      prices_taken: "2026-01-01",
      currency: "USD",
      instance_types: [],
      prices: [{ instance_type: "nope", region: "us-east-1", zones: [], on_demand: 1, spot: null }],
    };
    expect(expandCatalog(file)).toEqual([]);
  });

  it("reads only the backends asked for, plus the local machine when wanted", () => {
    const aws = loadOffers({ backends: ["aws"], machine: MACHINE });
    expect(new Set(aws.offers.map((o) => o.backend))).toEqual(new Set(["aws"]));
    expect(aws.files).toHaveLength(1);
    const local = loadOffers({ backends: ["local"], machine: MACHINE });
    expect(local.offers.map((o) => o.backend)).toEqual(["local"]);
  });
});

describe("helpers", () => {
  it("gpuKey ignores case, spaces and dashes, and knows second spellings", () => {
    expect(gpuKey("H100 NVL")).toBe(gpuKey("h100nvl"));
    expect(gpuKey("Radeon Pro V520")).toBe(gpuKey("V520"));
    expect(gpuKey("v5litepod-8")).toBe(gpuKey("v5e-8"));
    expect(gpuKey("v5p-8")).not.toBe(gpuKey("v5e-8"));
  });

  it("chooseDiskGb takes the least size both allow", () => {
    expect(chooseDiskGb({ min: 100, max: null }, 20, 100)).toBe(100);
    expect(chooseDiskGb({ min: null, max: 50 }, 30, 4095)).toBe(30);
    expect(chooseDiskGb({ min: 10, max: 10 }, 30, 4095)).toBeNull();
    expect(chooseDiskGb({ min: 5000, max: null }, 30, 4095)).toBeNull();
  });
});
