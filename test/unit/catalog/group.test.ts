// --group-by and the no-match explanation.
import { describe, expect, it } from "vitest";
import { explainNoMatch } from "../../../src/catalog/explain.js";
import { groupOffers, parseGroupBy } from "../../../src/catalog/group.js";
import { CATALOG, offers, requirements } from "./helpers.js";

describe("group by", () => {
  it("validates fields the way dstack does", () => {
    expect(parseGroupBy(["gpu,backend", "region"])).toEqual({ fields: ["gpu", "backend", "region"] });
    const error = (fields: string): string => {
      const parsed = parseGroupBy([fields]);
      return "error" in parsed ? parsed.error : "";
    };
    expect(error("backend")).toContain("needs gpu");
    expect(error("gpu,region")).toContain("needs backend");
    expect(error("gpu,zone")).toContain('"zone"');
  });

  it("folds offers into one row per GPU model with the price per GPU", () => {
    const list = offers({ gpu: "H100:8" });
    const groups = groupOffers(list, ["gpu"]);
    expect(groups).toHaveLength(1);
    const h100 = groups[0]!;
    expect(h100).toMatchObject({ vendor: "nvidia", name: "H100", memory_gb: 80, count: { min: 8, max: 8 } });
    expect(h100.backends).toEqual(["aws", "azure", "gcp"]);
    expect(h100.spot).toEqual(["spot", "on-demand"]);
    expect(h100.price.min).toBeCloseTo(Math.min(...list.map((o) => o.price)) / 8, 6);
    expect(h100.offers).toBe(list.length);
  });

  it("splits by backend, region and count when asked, cheapest first, without CPU-only offers", () => {
    const groups = groupOffers(offers({ gpu: "A100" }), ["gpu", "backend", "count"]);
    expect(groups.every((g) => g.backends.length === 1 && g.count.min === g.count.max)).toBe(true);
    for (let i = 1; i < groups.length; i++)
      expect(groups[i]!.price.min).toBeGreaterThanOrEqual(groups[i - 1]!.price.min);
    expect(groupOffers(offers({ cpu: "4", memory: "16GB" }), ["gpu"]).length).toBeLessThan(
      offers({ cpu: "4", memory: "16GB" }).length,
    );
  });
});

describe("no match", () => {
  it("names the requirements whose removal would give offers", () => {
    const req = requirements({ gpu: "H100:8", max_price: "1" });
    const relax = explainNoMatch(CATALOG, req);
    expect(relax[0]).toMatchObject({ drop: "--max-price" });
    expect(relax.find((r) => r.drop === "--gpu")!.matches).toBeGreaterThan(0);
  });

  it("returns nothing when no single change helps", () => {
    expect(explainNoMatch(CATALOG, requirements({ gpu: "B200", max_price: "0.01" }))).toEqual([]);
  });
});
