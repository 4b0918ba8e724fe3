import { describe, expect, it } from "vitest";
import { parseGpu, type GpuSpec } from "../../../src/compiler/grammar/gpu.js";

function spec(raw: unknown): GpuSpec {
  const parsed = parseGpu(raw);
  if (!parsed.ok) throw new Error(`expected ${JSON.stringify(raw)} to parse: ${parsed.message}`);
  return parsed.value.spec;
}

describe("gpu grammar: tokens in any order", () => {
  const cases: [unknown, Partial<GpuSpec>][] = [
    ["A100", { vendor: "nvidia", name: ["A100"], count: { min: 1, max: null }, memory: null }],
    ["A100:80GB", { name: ["A100"], memory: { min: 80, max: 80 } }],
    ["A100:2", { name: ["A100"], count: { min: 2, max: 2 } }],
    ["A100:80GB:2", { name: ["A100"], memory: { min: 80, max: 80 }, count: { min: 2, max: 2 } }],
    ["2:80GB:A100", { name: ["A100"], memory: { min: 80, max: 80 }, count: { min: 2, max: 2 } }],
    ["A100:40GB:2", { name: ["A100"], memory: { min: 40, max: 40 }, count: { min: 2, max: 2 } }],
    ["40GB..80GB:4", { vendor: null, name: null, memory: { min: 40, max: 80 }, count: { min: 4, max: 4 } }],
    ["24GB..40GB:2", { memory: { min: 24, max: 40 }, count: { min: 2, max: 2 } }],
    ["24GB", { vendor: null, memory: { min: 24, max: 24 }, count: { min: 1, max: null } }],
    ["24GB..", { memory: { min: 24, max: null } }],
    ["..80GB", { memory: { min: null, max: 80 } }],
    ["A10G,A100", { vendor: "nvidia", name: ["A10G", "A100"] }],
    ["a100", { name: ["A100"] }],
    ["nvidia", { vendor: "nvidia", name: null, count: { min: 1, max: null } }],
    ["v2-8", { vendor: "google", name: ["v2-8"] }],
    ["v5litepod-8", { vendor: "google", name: ["v5litepod-8"] }],
    ["tpu:v3-8", { vendor: "google", name: ["v3-8"] }],
    ["MI300X:amd", { vendor: "amd", name: ["MI300X"] }],
    ["MI300X", { vendor: "amd", name: ["MI300X"] }],
    ["amd:2", { vendor: "amd", count: { min: 2, max: 2 } }],
    ["Gaudi2:8", { vendor: "intel", name: ["Gaudi2"], count: { min: 8, max: 8 } }],
    ["n150", { vendor: "tenstorrent", name: ["n150"] }],
    ["A100:1..4", { count: { min: 1, max: 4 } }],
    ["A100:2..", { count: { min: 2, max: null } }],
    ["H100:512MB..", { memory: { min: 0.5, max: null } }],
    [2, { vendor: null, name: null, count: { min: 2, max: 2 } }],
    [
      { name: "A100", memory: "80GB", count: 2 },
      { vendor: "nvidia", name: ["A100"], memory: { min: 80, max: 80 }, count: { min: 2, max: 2 } },
    ],
    [
      { name: ["A10G", "L4"], count: "1..2" },
      { name: ["A10G", "L4"], count: { min: 1, max: 2 } },
    ],
    [{ vendor: "tpu" }, { vendor: "google" }],
    [
      { total_memory: "80GB..", compute_capability: 8 },
      { total_memory: { min: 80, max: null }, compute_capability: "8.0" },
    ],
    [{ compute_capability: "7.5" }, { compute_capability: "7.5" }],
    [{ count: { min: 1, max: 8 } }, { count: { min: 1, max: 8 } }],
  ];
  it.each(cases)("%j", (raw, expected) => {
    expect(spec(raw)).toMatchObject(expected);
  });

  it("asks for exactly no GPU with a count of 0 (not for no requirement)", () => {
    expect(spec(0)).toMatchObject({ vendor: null, name: null, count: { min: 0, max: 0 } });
    expect(spec("0")).toMatchObject({ count: { min: 0, max: 0 } });
  });

  it("leaves the vendor unset for an unknown name, with a warning that suggests a near miss", () => {
    const parsed = parseGpu("A1OO");
    expect(parsed.ok && parsed.value.spec.vendor).toBeNull();
    expect(parsed.ok && parsed.value.warnings[0]).toMatch(/unknown GPU name "A1OO".*did you mean "A100"/);
  });
});

describe("gpu grammar: errors", () => {
  const cases: [unknown, RegExp][] = [
    ["A100:80XB:2", /"80XB" in "A100:80XB:2" is neither a GPU count nor a memory size/],
    ["A100::2", /empty token/],
    ["A100:2:4", /count twice/],
    ["A100:40GB:80GB", /memory twice/],
    ["nvidia:amd", /vendor twice/],
    ["A100:H100", /two tokens/],
    ["MI300X:nvidia", /made by amd, not nvidia/],
    ["nvidia:A100,MI300X", /MI300X is made by amd, not nvidia/],
    ["80GB..40GB", /minimum greater than its maximum/],
    ["A100:4..2", /minimum greater than its maximum/],
    [true, /expected a GPU count/],
    [{ vendor: "nvida" }, /not one of/],
    [{ nmae: "A100" }, /unknown key "nmae"/],
    [{ name: [] }, /empty list/],
    [{ compute_capability: "high" }, /not a version/],
    [{ vendor: "amd", compute_capability: "8.0" }, /applies to NVIDIA/],
  ];
  it.each(cases)("%j", (raw, message) => {
    const parsed = parseGpu(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });

  it("suggests the vendor for a misspelled vendor", () => {
    const parsed = parseGpu({ vendor: "nvida" });
    expect(!parsed.ok && parsed.hint).toBe('did you mean "nvidia"?');
  });
});
