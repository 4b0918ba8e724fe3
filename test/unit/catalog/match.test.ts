// The matcher's semantics, one rule at a time.
import { describe, expect, it } from "vitest";
import { matchOffers } from "../../../src/catalog/match.js";
import type { Offer } from "../../../src/catalog/offer.js";
import { CATALOG, LOCAL, offers, requirements, runRequirements, typesOf } from "./helpers.js";

describe("GPU requirements", () => {
  it("without a GPU request, offers with and without GPUs both match", () => {
    const list = offers();
    expect(list.some((o) => o.gpu_count === 0)).toBe(true);
    expect(list.some((o) => o.gpu_count > 0)).toBe(true);
  });

  it("a run without image gets no GPU or NVIDIA GPUs (dstack's CUDA base image), never TPUs or AMD", () => {
    const list = matchOffers(CATALOG, runRequirements('type: task\ncommands: ["x"]\nspot_policy: auto\n'));
    expect(list.some((o) => o.gpu_count === 0)).toBe(true);
    expect(list.every((o) => o.gpu_vendor === null || o.gpu_vendor === "nvidia")).toBe(true);
    const any = offers({ gpu: "1.." });
    expect(any.some((o) => o.gpu_vendor === "google")).toBe(true);
    const nvidia = matchOffers(
      CATALOG,
      runRequirements('type: task\ncommands: ["x"]\nresources:\n  gpu: 1..\n'),
    );
    expect(nvidia.every((o) => o.gpu_vendor === "nvidia")).toBe(true);
  });

  it("a count range starting at 0 keeps CPU-only offers and filters the GPU ones", () => {
    const list = offers({ gpu: "0..1" }, "");
    expect(list.some((o) => o.gpu_count === 0)).toBe(true);
    expect(list.filter((o) => o.gpu_count > 0).every((o) => o.gpu_count === 1)).toBe(true);
  });

  it("names match any of a list, case-insensitively and ignoring spaces", () => {
    const types = typesOf(offers({ gpu: "a10g,l4:1", backends: ["aws", "gcp"] }));
    expect(types).toEqual(expect.arrayContaining(["g5.xlarge", "g6.xlarge", "g2-standard-4"]));
    expect(types.some((t) => t.startsWith("g4dn"))).toBe(false);
    expect(typesOf(offers({ gpu: "H100NVL" }))).toEqual([
      "Standard_NC40ads_H100_v5",
      "Standard_NC80adis_H100_v5",
    ]);
    expect(typesOf(offers({ gpu: "V520" })).every((t) => t.startsWith("g4ad."))).toBe(true);
  });

  it("TPU slices match by name, v5e and v5litepod alike", () => {
    expect(typesOf(offers({ gpu: "v5e-8" }))).toEqual(["v5litepod-8"]);
    expect(typesOf(offers({ gpu: "v5litepod-8" }))).toEqual(["v5litepod-8"]);
    expect(typesOf(offers({ gpu: "tpu" })).every((t) => /^v\d/.test(t))).toBe(true);
  });

  it("Trainium and Inferentia appear only when asked for", () => {
    expect(offers({ gpu: "1.." }).some((o) => o.gpu_vendor === "aws")).toBe(false);
    expect(offers().some((o) => o.gpu_vendor === "aws")).toBe(false);
    expect(typesOf(offers({ gpu: "Trainium" }))).toEqual(["trn1.2xlarge", "trn1.32xlarge"]);
    expect(typesOf(offers({ gpu: "aws:6.." }))).toEqual(["inf2.24xlarge", "inf2.48xlarge", "trn1.32xlarge"]);
  });

  it("vendor alone selects that vendor", () => {
    const amd = offers({ gpu: "amd" });
    expect(amd.length).toBeGreaterThan(0);
    expect(amd.every((o) => o.gpu_vendor === "amd")).toBe(true);
  });

  it("compute_capability is a minimum and only NVIDIA has one", () => {
    const list = offers({}, "resources:\n  gpu:\n    compute_capability: 8.9\n");
    expect(list.length).toBeGreaterThan(0);
    expect(new Set(list.map((o) => o.gpu_name))).toEqual(new Set(["H100", "H200", "L4", "L40S", "H100NVL"]));
  });

  it("total_memory bounds count x memory per GPU", () => {
    const list = offers({}, "resources:\n  gpu:\n    total_memory: 600GB..\n");
    expect(list.length).toBeGreaterThan(0);
    for (const o of list) expect(o.gpu_count * o.gpu_memory_gb).toBeGreaterThanOrEqual(600);
  });
});

describe("CPU, memory and disk", () => {
  it("cpu and memory ranges are inclusive", () => {
    const list = offers({ cpu: "8..8", memory: "32GB..32GB" });
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((o) => o.cpus === 8 && o.memory_gb === 32)).toBe(true);
  });

  it("cpu arch filters; the catalog is x86", () => {
    expect(offers({ cpu: "arm:2.." })).toEqual([]);
    expect(offers({ cpu: "x86:2.." }).length).toBeGreaterThan(0);
  });

  it("the disk is the root volume chosen: the request's minimum, within the backend's limits", () => {
    const list = offers({ gpu: "A10G", disk: "200GB..", backends: ["aws"] });
    expect(list.every((o) => o.disk_gb === 200)).toBe(true);
    // The default request is 100GB..
    expect(offers({ gpu: "L4", backends: ["gcp"] }).every((o) => o.disk_gb === 100)).toBe(true);
    // No minimum: the backend's smallest (the image size).
    expect(offers({ gpu: "A10", disk: "..500GB", backends: ["azure"] })[0]!.disk_gb).toBe(30);
  });

  it("a disk outside what a backend can provision excludes that backend", () => {
    // AWS images are 100 GB; Azure OS disks stop at 4095 GB.
    const small = offers({ disk: "50GB" });
    expect(small.some((o) => o.backend === "aws")).toBe(false);
    expect(small.some((o) => o.backend === "gcp")).toBe(true);
    const big = offers({ disk: "5000GB" });
    expect(big.some((o) => o.backend === "azure")).toBe(false);
    expect(big.some((o) => o.backend === "aws")).toBe(true);
  });

  it("instance store does not count as the disk", () => {
    const g4dn = offers({ gpu: "T4", backends: ["aws"], disk: "100GB" });
    expect(g4dn.every((o) => o.disk_gb === 100 && o.local_disk_gb > 0)).toBe(true);
  });
});

describe("placement", () => {
  it("backends and regions filter; regions case-insensitively", () => {
    const list = offers({ gpu: "A100", backends: ["gcp"], regions: ["US-Central1"] });
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((o) => o.backend === "gcp" && o.region === "us-central1")).toBe(true);
  });

  it("availability zones keep only the requested zones; unknown zones do not match", () => {
    const gcp = offers({ gpu: "L4" }, "availability_zones: [us-central1-a]\n");
    expect(gcp.length).toBeGreaterThan(0);
    expect(gcp.every((o) => o.backend === "gcp" && o.zones.join() === "us-central1-a")).toBe(true);
    // AWS zone names are per account: a name of the offer's region is accepted.
    const aws = offers({ gpu: "A10G" }, "availability_zones: [us-east-1a]\n");
    expect(aws.length).toBeGreaterThan(0);
    expect(aws.every((o) => o.region === "us-east-1" && o.zones.join() === "us-east-1a")).toBe(true);
    // ...and so is an AZ ID.
    expect(offers({ gpu: "H100:8" }, "availability_zones: [use1-az4]\n").length).toBeGreaterThan(0);
    // Azure GPU rows have unknown zones.
    expect(offers({ gpu: "A10", backends: ["azure"] }, "availability_zones: [eastus-1]\n")).toEqual([]);
  });

  it("instance_types names types (or GCP ids) and only those", () => {
    expect(typesOf(offers({ instance_types: ["G5.XLARGE"] }))).toEqual(["g5.xlarge"]);
    const n1 = offers({ instance_types: ["n1-standard-8/1xT4"] });
    expect(new Set(n1.map((o) => o.instance_id))).toEqual(new Set(["n1-standard-8/1xT4"]));
  });

  it("deprecated types and GPU slices appear only when named", () => {
    expect(offers({ gpu: "V100" }).some((o) => o.instance_type.startsWith("p3"))).toBe(false);
    expect(typesOf(offers({ gpu: "V100", instance_types: ["p3.2xlarge"] }))).toEqual(["p3.2xlarge"]);
    expect(offers({ gpu: "A10" }).some((o) => o.gpu_fraction !== null)).toBe(false);
    const slice = offers({ instance_types: ["Standard_NV6ads_A10_v5"] });
    expect(slice.length).toBeGreaterThan(0);
    expect(slice[0]!.gpu_fraction).toBeCloseTo(1 / 6, 3);
  });
});

describe("order", () => {
  it("is deterministic whatever the input order", () => {
    const req = requirements({ gpu: "A10G,L4,T4" });
    const shuffled = [...CATALOG].reverse();
    const a = matchOffers(CATALOG, req).map((o) => `${o.backend}/${o.region}/${o.instance_id}/${o.spot}`);
    const b = matchOffers(shuffled, req).map((o) => `${o.backend}/${o.region}/${o.instance_id}/${o.spot}`);
    expect(a).toEqual(b);
  });

  it("breaks price ties by backend, region, instance type, then on-demand before spot", () => {
    const base: Offer = { ...LOCAL, backend: "aws", price: 1, spot: false };
    const list: Offer[] = [
      { ...base, backend: "gcp", region: "a" },
      { ...base, region: "b", spot: true },
      { ...base, region: "b" },
      { ...base, region: "a", instance_id: "z" },
      { ...base, region: "a", instance_id: "y" },
    ];
    const sorted = matchOffers(list, requirements({}, "")).map(
      (o) => `${o.backend} ${o.region} ${o.instance_id} ${o.spot}`,
    );
    expect(sorted).toEqual([
      "aws a y false",
      "aws a z false",
      "aws b local false",
      "aws b local true",
      "gcp a local false",
    ]);
  });
});
