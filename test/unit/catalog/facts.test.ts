// Facts from issue 3, against the real bundled catalog.
import { describe, expect, it } from "vitest";
import { offers, typesOf } from "./helpers.js";

describe("catalog facts", () => {
  it("A100:80GB:8 on AWS includes p4de.24xlarge and not the 40 GB p4d", () => {
    const aws = offers({ gpu: "A100:80GB:8", backends: ["aws"] });
    expect(typesOf(aws)).toEqual(["p4de.24xlarge"]);
  });

  it("H100:8 gives p5.48xlarge, a3-highgpu-8g and Standard_ND96isr_H100_v5", () => {
    const types = typesOf(offers({ gpu: "H100:8" }));
    expect(types).toEqual(
      expect.arrayContaining(["p5.48xlarge", "a3-highgpu-8g", "Standard_ND96isr_H100_v5"]),
    );
    // Everything offered has exactly 8 H100s.
    for (const o of offers({ gpu: "H100:8" })) expect([o.gpu_name, o.gpu_count]).toEqual(["H100", 8]);
  });

  it("T4 on AWS is the g4dn family only", () => {
    const types = typesOf(offers({ gpu: "T4", backends: ["aws"] }));
    expect(types.length).toBeGreaterThanOrEqual(7);
    for (const t of types) expect(t).toMatch(/^g4dn\./);
  });

  it("L4 on GCP is g2-standard", () => {
    const types = typesOf(offers({ gpu: "L4", backends: ["gcp"] }));
    expect(types).toContain("g2-standard-4");
    for (const t of types) expect(t).toMatch(/^g2-standard-\d+$/);
  });

  it("--spot returns only spot offers, --on-demand only on-demand ones, auto both", () => {
    const spot = offers({ gpu: "A100", spot_policy: "spot" });
    const onDemand = offers({ gpu: "A100", spot_policy: "on-demand" });
    const auto = offers({ gpu: "A100", spot_policy: "auto" });
    expect(spot.length).toBeGreaterThan(0);
    expect(spot.every((o) => o.spot)).toBe(true);
    expect(onDemand.every((o) => !o.spot)).toBe(true);
    expect(auto.length).toBe(spot.length + onDemand.length);
  });

  it("--max-price is respected (inclusive)", () => {
    const all = offers({ gpu: "A10G" });
    const cap = all[5]!.price;
    const capped = offers({ gpu: "A10G", max_price: String(cap) });
    expect(capped.length).toBeGreaterThanOrEqual(6);
    expect(capped.every((o) => o.price <= cap)).toBe(true);
    expect(capped.length).toBe(all.filter((o) => o.price <= cap).length);
  });

  it("24GB..40GB:2 excludes 80 GB cards and keeps two-GPU offers of 24 to 40 GB", () => {
    const list = offers({ gpu: "24GB..40GB:2" });
    expect(list.length).toBeGreaterThan(0);
    for (const o of list) {
      expect(o.gpu_count).toBe(2);
      expect(o.gpu_memory_gb).toBeGreaterThanOrEqual(24);
      expect(o.gpu_memory_gb).toBeLessThanOrEqual(40);
    }
    expect(typesOf(list)).toContain("a2-highgpu-2g");
    expect(typesOf(list)).not.toContain("a2-ultragpu-2g");
  });

  it("results are sorted by price, cheapest first", () => {
    const list = offers({ gpu: "A100" });
    for (let i = 1; i < list.length; i++) expect(list[i]!.price).toBeGreaterThanOrEqual(list[i - 1]!.price);
  });
});
