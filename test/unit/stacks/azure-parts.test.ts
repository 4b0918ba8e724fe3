import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { UserError } from "../../../src/errors.js";
import { AZURE_CUSTOM_DATA_LIMIT, azureCustomData } from "../../../src/stacks/azure/custom-data.js";
import {
  AMD_IMAGE,
  NVIDIA_IMAGE,
  UBUNTU_IMAGE,
  imageReference,
  parseImage,
} from "../../../src/stacks/azure/image.js";
import { azureName, checkDistinctNames } from "../../../src/stacks/azure/names.js";
import { inboundRules } from "../../../src/stacks/azure/security-rules.js";
import { osProfile, pricing, reservation, storageProfile } from "../../../src/stacks/azure/vm-profiles.js";
import { KEY, instanceSpec, poolSpec, volumeSpec } from "./azure-fixtures.js";

describe("Azure image", () => {
  it("defaults by GPU vendor: Ubuntu 24.04 without GPU, Ubuntu-HPC with CUDA or ROCm with one", () => {
    expect(imageReference(instanceSpec({ gpu_count: 0, gpu_vendor: null }))).toEqual(UBUNTU_IMAGE);
    expect(imageReference(instanceSpec({ gpu_count: 8, gpu_vendor: "nvidia" }))).toEqual(NVIDIA_IMAGE);
    expect(imageReference(instanceSpec({ gpu_count: 8, gpu_vendor: "AMD" }))).toEqual(AMD_IMAGE);
    expect(UBUNTU_IMAGE).toEqual({
      publisher: "Canonical",
      offer: "ubuntu-24_04-lts",
      sku: "server",
      version: "latest",
    });
  });

  it("takes a URN or an image resource id, and refuses anything else with a hint", () => {
    expect(parseImage("microsoft-dsvm:ubuntu-hpc:2204:latest")).toEqual({
      publisher: "microsoft-dsvm",
      offer: "ubuntu-hpc",
      sku: "2204",
      version: "latest",
    });
    const id =
      "/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/galleries/x/images/y/versions/1.0.0";
    expect(parseImage(id)).toEqual({ id });
    for (const bad of ["ubuntu", "a:b:c", "a::c:d", "a:b:c:d:e"]) {
      expect(() => parseImage(bad), bad).toThrow(UserError);
    }
    try {
      parseImage("ubuntu");
    } catch (e) {
      expect(e).toMatchObject({
        code: "azure-image",
        hint: expect.stringContaining("publisher:offer:sku:version") as unknown,
      });
    }
  });
});

describe("Azure security rules", () => {
  it("allows 22 first, then each declared port once, in port order", () => {
    const rules = inboundRules([443, 8080, 22, 443]);
    expect(rules.map((r) => [r.name, r.priority, r.destinationPortRange])).toEqual([
      ["dstack-ssh", 100, "22"],
      ["dstack-tcp-443", 110, "443"],
      ["dstack-tcp-8080", 120, "8080"],
    ]);
    expect(inboundRules([])).toHaveLength(1);
  });

  it("refuses what is not a port, and more ports than Azure's priorities hold", () => {
    expect(() => inboundRules([0])).toThrow(UserError);
    expect(() => inboundRules([70000])).toThrow(UserError);
    expect(() => inboundRules(Array.from({ length: 400 }, (_, i) => 1000 + i))).toThrow(/do not fit/);
    expect(inboundRules(Array.from({ length: 399 }, (_, i) => 1000 + i)).at(-1)?.priority).toBe(4090);
  });
});

describe("Azure VM profiles", () => {
  it("prices spot with eviction Delete and a cap, on-demand as Regular", () => {
    expect(pricing({ spot: true, max_price: null })).toEqual({
      priority: "Spot",
      evictionPolicy: "Delete",
      billingProfile: { maxPrice: -1 },
    });
    expect(pricing({ spot: true, max_price: 0.9 })).toMatchObject({ billingProfile: { maxPrice: 0.9 } });
    expect(pricing({ spot: false, max_price: 0.9 })).toEqual({ priority: "Regular" });
    expect(reservation({ reservation: null })).toEqual({});
  });

  it("refuses a VM without any SSH key (Azure would, less clearly)", () => {
    expect(() => osProfile("vm", [], "e30=")).toThrow(UserError);
    expect(osProfile("vm", [KEY], "e30=").customData).toBe("e30=");
  });

  it("refuses an instance mounting a volume the pool does not have", () => {
    expect(() => storageProfile("os", instanceSpec({ volumes: ["nope"] }), new Map())).toThrow(
      /unknown volume nope/,
    );
  });

  it(`refuses user data over Azure's ${AZURE_CUSTOM_DATA_LIMIT}-byte customData limit`, () => {
    // Random text does not compress: the gzipped agent alone overflows the limit.
    const big = randomBytes(60_000).toString("base64");
    expect(() => azureCustomData({ agentSource: big }, "vm", [KEY])).toThrow(UserError);
    const small = Buffer.from(azureCustomData({ agentSource: "x" }, "vm", [KEY]), "base64").toString("utf8");
    expect(small.startsWith("#cloud-config")).toBe(true);
  });
});

describe("Azure names", () => {
  it("derives every name from project and pool through resourceName", () => {
    const spec = poolSpec("A100 Pool");
    expect(azureName(spec)).toBe("dstack-team-a100-pool");
    expect(azureName(spec, "box-0-nic")).toBe("dstack-team-a100-pool-box-0-nic");
  });

  it("refuses names that the 63-character cut makes identical", () => {
    const long = "x".repeat(60);
    const spec = poolSpec("p", {
      instances: [instanceSpec({ name: `${long}-a` }), instanceSpec({ name: `${long}-b` })],
    });
    expect(() => checkDistinctNames(spec)).toThrow(/same Azure name/);
    const fine = poolSpec("p", {
      instances: [instanceSpec({ name: "a" }), instanceSpec({ name: "b" })],
      volumes: [volumeSpec({ name: "data" })],
    });
    expect(() => checkDistinctNames(fine)).not.toThrow();
    expect(() => checkDistinctNames({ ...fine, volumes: [volumeSpec({ name: "a-os" })] })).toThrow(UserError);
  });
});
