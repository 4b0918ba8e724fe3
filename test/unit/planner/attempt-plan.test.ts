// The attempt plan: price order kept, zones of one offer together, spot before on-demand for `auto`,
// and the cap.
import { describe, expect, it } from "vitest";
import {
  attemptJson,
  planAttempts,
  renderAttemptPlan,
  type Attempt,
} from "../../../src/planner/attempt-plan.js";
import { offer } from "./fixtures.js";

const key = (a: Attempt): string =>
  `${a.n} ${a.backend}/${a.region}/${a.zone ?? "-"} ${a.spot ? "spot" : "od"} ${a.price}`;

// As the matcher returns them: cheapest first, spot and on-demand interleaved.
const OFFERS = [
  offer({ backend: "aws", region: "us-east-1", zones: ["use1-az1", "use1-az2"], spot: true, price: 10 }),
  offer({ backend: "gcp", region: "us-central1", zones: ["us-central1-a", "us-central1-b"], price: 12 }),
  offer({ backend: "aws", region: "us-west-2", zones: ["usw2-az1"], spot: true, price: 13 }),
  offer({ backend: "azure", region: "eastus", zones: [], price: 15 }),
];

describe("planAttempts", () => {
  it("keeps the price order and expands each offer into its zones, consecutively", () => {
    const plan = planAttempts(OFFERS, { spotPolicy: "auto" }).map(key);
    expect(plan).toEqual([
      "1 aws/us-east-1/use1-az1 spot 10",
      "2 aws/us-east-1/use1-az2 spot 10",
      "3 aws/us-west-2/usw2-az1 spot 13",
      "4 gcp/us-central1/us-central1-a od 12",
      "5 gcp/us-central1/us-central1-b od 12",
      "6 azure/eastus/- od 15",
    ]);
  });

  it("with spot or on-demand, tries only offers of that kind, in price order", () => {
    expect(planAttempts(OFFERS, { spotPolicy: "spot" }).map(key)).toEqual([
      "1 aws/us-east-1/use1-az1 spot 10",
      "2 aws/us-east-1/use1-az2 spot 10",
      "3 aws/us-west-2/usw2-az1 spot 13",
    ]);
    expect(planAttempts(OFFERS, { spotPolicy: "on-demand" }).map(key)).toEqual([
      "1 gcp/us-central1/us-central1-a od 12",
      "2 gcp/us-central1/us-central1-b od 12",
      "3 azure/eastus/- od 15",
    ]);
  });

  it("stops at maxAttempts, 25 by default, counting zone attempts", () => {
    const many = Array.from({ length: 20 }, (_, i) =>
      offer({ backend: "gcp", region: `r${i}`, zones: ["a", "b"], price: i }),
    );
    expect(planAttempts(many, { spotPolicy: "auto" })).toHaveLength(25);
    const three = planAttempts(OFFERS, { spotPolicy: "auto", maxAttempts: 3 });
    expect(three.map((a) => a.zone)).toEqual(["use1-az1", "use1-az2", "usw2-az1"]);
    expect(planAttempts(OFFERS, { spotPolicy: "auto", maxAttempts: 0 })).toEqual([]);
    expect(() => planAttempts(OFFERS, { spotPolicy: "auto", maxAttempts: -1 })).toThrow(RangeError);
  });

  it("keeps a reference to the offer, and none for nothing", () => {
    const [first] = planAttempts(OFFERS, { spotPolicy: "auto" });
    expect(first?.offer).toBe(OFFERS[0]);
    expect(planAttempts([], { spotPolicy: "auto" })).toEqual([]);
  });
});

describe("renderAttemptPlan", () => {
  it("prints a numbered table with a ZONE column", () => {
    expect(renderAttemptPlan(planAttempts(OFFERS, { spotPolicy: "on-demand" }))).toBe(
      [
        " #  BACKEND  REGION       ZONE           INSTANCE      SPOT       PRICE",
        " 1  gcp      us-central1  us-central1-a  p4d.24xlarge  on-demand  $12",
        " 2  gcp      us-central1  us-central1-b  p4d.24xlarge  on-demand  $12",
        " 3  azure    eastus       -              p4d.24xlarge  on-demand  $15",
      ].join("\n"),
    );
    expect(renderAttemptPlan([])).toBe(" No offers to try.");
  });

  it("has a JSON form without the whole offer", () => {
    const [first] = planAttempts(OFFERS, { spotPolicy: "auto" });
    expect(attemptJson(first!)).toEqual({
      n: 1,
      backend: "aws",
      region: "us-east-1",
      zone: "use1-az1",
      instance_type: "p4d.24xlarge",
      spot: true,
      price: 10,
    });
  });
});
