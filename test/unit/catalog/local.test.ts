// The local backend: nvidia-smi parsing, the offer built from a machine description, and the probe.
import { describe, expect, it } from "vitest";
import { localOffer, probeLocalMachine } from "../../../src/catalog/local.js";
import { matchOffers } from "../../../src/catalog/match.js";
import { parseNvidiaSmi, shortGpuName } from "../../../src/catalog/nvidia-smi.js";
import { MACHINE, requirements } from "./helpers.js";

describe("nvidia-smi", () => {
  it("shortens NVIDIA's names to dstack's", () => {
    expect(shortGpuName("NVIDIA A100-SXM4-80GB")).toBe("A100");
    expect(shortGpuName("NVIDIA H100 80GB HBM3")).toBe("H100");
    expect(shortGpuName("NVIDIA GeForce RTX 4090")).toBe("RTX4090");
    expect(shortGpuName("Tesla T4")).toBe("T4");
    expect(shortGpuName("NVIDIA L40S")).toBe("L40S");
    expect(shortGpuName("NVIDIA A10G")).toBe("A10G");
    expect(shortGpuName("Tesla V100-SXM2-16GB")).toBe("V100");
  });

  it("parses name and memory lines, skipping junk", () => {
    const out =
      "NVIDIA A100-SXM4-80GB, 81920 MiB\nNVIDIA A100-SXM4-80GB, 81920 MiB\n\nNo devices were found\n";
    expect(parseNvidiaSmi(out)).toEqual([
      { name: "A100", memory_gb: 80, compute_capability: "8.0" },
      { name: "A100", memory_gb: 80, compute_capability: "8.0" },
    ]);
    expect(parseNvidiaSmi("Tesla T4, 15360 MiB")).toEqual([
      { name: "T4", memory_gb: 15, compute_capability: "7.5" },
    ]);
  });
});

describe("local offer", () => {
  it("describes the machine at price 0 in region local, on-demand", () => {
    const offer = localOffer(MACHINE);
    expect(offer).toMatchObject({
      backend: "local",
      region: "local",
      price: 0,
      spot: false,
      cpus: 16,
      gpu_count: 0,
    });
    expect(offer.disk_max_gb).toBe(500);
  });

  it("offers its GPUs to GPU requests", () => {
    const offer = localOffer({
      ...MACHINE,
      gpus: [
        { name: "RTX4090", memory_gb: 24, compute_capability: "8.9" },
        { name: "RTX4090", memory_gb: 24, compute_capability: "8.9" },
      ],
    });
    expect(matchOffers([offer], requirements({ gpu: "RTX4090:2" }))).toHaveLength(1);
    expect(matchOffers([offer], requirements({ gpu: "24GB:1" }))).toHaveLength(0);
    expect(matchOffers([offer], requirements({ gpu: "A100" }))).toHaveLength(0);
  });

  it("matches a disk request up to the free space and shows the size chosen", () => {
    const offer = localOffer(MACHINE);
    expect(matchOffers([offer], requirements({ disk: "200GB.." }))[0]!.disk_gb).toBe(200);
    expect(matchOffers([offer], requirements({ disk: "600GB.." }))).toEqual([]);
    expect(matchOffers([offer], requirements({ spot_policy: "spot" }))).toEqual([]);
  });

  it("probing this machine gives sane figures (and no GPU when nvidia-smi is missing)", () => {
    const machine = probeLocalMachine();
    expect(machine.cpus).toBeGreaterThan(0);
    expect(machine.memory_gb).toBeGreaterThan(0);
    expect(machine.disk_gb).toBeGreaterThanOrEqual(0);
    expect(Array.isArray(machine.gpus)).toBe(true);
  });
});
