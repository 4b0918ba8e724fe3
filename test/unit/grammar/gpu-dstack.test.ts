// The meaning dstack 0.22 gives each `resources.gpu` spelling (its GPUSpec.parse and the server's
// set_default_gpu_spec_vendor, with gpuhunt's name tables), one row per rule.
import { describe, expect, it } from "vitest";
import { parseGpu, type GpuSpec } from "../../../src/compiler/grammar/gpu.js";

function parsed(raw: unknown): { spec: GpuSpec; warnings: string[] } {
  const result = parseGpu(raw);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(raw)} to parse: ${result.message}`);
  return result.value;
}

const ZERO = { min: 0, max: 0 };

describe("a count of 0 is exactly no GPU", () => {
  const cases: [unknown, Partial<GpuSpec>][] = [
    [0, { vendor: null, name: null, count: ZERO }],
    ["0", { vendor: null, name: null, count: ZERO }],
    ["nvidia:0", { vendor: "nvidia", name: null, count: ZERO }],
    ["0:amd", { vendor: "amd", count: ZERO }],
    [{ count: 0 }, { vendor: null, count: ZERO }],
    [{ count: "0" }, { count: ZERO }],
    [{ count: { min: 0, max: 0 } }, { count: ZERO }],
    // dstack infers no vendor when no GPU is asked for.
    ["A100:0", { vendor: null, name: ["A100"], count: ZERO }],
    // 0.. and 0..1 are ranges that include CPU-only offers, not "none".
    ["0..", { count: { min: 0, max: null } }],
    ["0..1", { count: { min: 0, max: 1 } }],
  ];
  it.each(cases)("%j", (raw, expected) => {
    expect(parsed(raw).spec).toMatchObject(expected);
  });
});

describe("the vendor: explicit wins, else the names' one known vendor, else unset", () => {
  const cases: [unknown, GpuSpec["vendor"], string[] | null][] = [
    // NVIDIA, as gpuhunt names them
    ["B200", "nvidia", ["B200"]],
    ["GB200", "nvidia", ["GB200"]],
    ["B300", "nvidia", ["B300"]],
    ["H200", "nvidia", ["H200"]],
    ["h200nvl", "nvidia", ["H200NVL"]],
    ["RTXPRO6000", "nvidia", ["RTXPRO6000"]],
    ["RTX PRO 6000", "nvidia", ["RTXPRO6000"]],
    ["RTX6000Ada", "nvidia", ["RTX6000Ada"]],
    ["L40S", "nvidia", ["L40S"]],
    ["RTX5090:2", "nvidia", ["RTX5090"]],
    // AMD
    ["MI300X", "amd", ["MI300X"]],
    ["MI308X", "amd", ["MI308X"]],
    ["MI325X:8", "amd", ["MI325X"]],
    ["MI350X", "amd", ["MI350X"]],
    ["mi355x", "amd", ["MI355X"]],
    // Intel
    ["Gaudi", "intel", ["Gaudi"]],
    ["gaudi2:8", "intel", ["Gaudi2"]],
    ["Gaudi3", "intel", ["Gaudi3"]],
    // Tenstorrent
    ["tt-galaxy-wh:32", "tenstorrent", ["tt-galaxy-wh"]],
    ["tt-galaxy-bh", "tenstorrent", ["tt-galaxy-bh"]],
    ["n150", "tenstorrent", ["n150"]],
    ["n300:4", "tenstorrent", ["n300"]],
    ["p100a", "tenstorrent", ["p100a"]],
    ["p150", "tenstorrent", ["p150"]],
    ["p300", "tenstorrent", ["p300"]],
    ["tt:n300", "tenstorrent", ["n300"]],
    // Google TPU: gpuhunt's versions with a core count
    ["v2-8", "google", ["v2-8"]],
    ["v3-32", "google", ["v3-32"]],
    ["v4-8", "google", ["v4-8"]],
    ["v5p-8", "google", ["v5p-8"]],
    ["v5litepod-16", "google", ["v5litepod-16"]],
    ["v6e-8", "google", ["v6e-8"]],
    ["tpu:v6e-8", "google", ["v6e-8"]],
    // Unknown names: the vendor stays unset (never NVIDIA), the name is matched as written.
    ["X9000", null, ["X9000"]],
    ["tt-loudbox", null, ["tt-loudbox"]],
    ["v7-8", null, ["v7-8"]],
    ["v6e", null, ["v6e"]],
    // Mixed vendors, or one unknown name among known ones: unset, the names decide.
    ["H100,MI300X", null, ["H100", "MI300X"]],
    ["H100,X9000", null, ["H100", "X9000"]],
    // Known spellings gpuhunt has no vendor for.
    ["A30", null, ["A30"]],
    // Explicit vendor wins over unknown names.
    ["nvidia:X9000", "nvidia", ["X9000"]],
    [{ vendor: "tt", name: "tt-loudbox" }, "tenstorrent", ["tt-loudbox"]],
  ];
  it.each(cases)("%j", (raw, vendor, name) => {
    const { spec } = parsed(raw);
    expect(spec.vendor).toBe(vendor);
    expect(spec.name).toEqual(name);
  });

  it("warns about an unknown name but not about a mix of known vendors", () => {
    expect(parsed("X9000").warnings).toEqual([
      expect.stringMatching(/unknown GPU name "X9000".*matched by the name alone/),
    ]);
    expect(parsed("H100,MI300X").warnings).toEqual([]);
  });

  it.each([
    ["amd:H100", /H100 is made by nvidia, not amd/],
    ["intel:MI300X", /MI300X is made by amd, not intel/],
    [{ vendor: "google", name: ["n150"] }, /n150 is made by tenstorrent, not google/],
  ])("a vendor that contradicts a known name is an error: %j", (raw, message) => {
    const result = parseGpu(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toMatch(message);
      expect(result.hint).toMatch(/drop the vendor or write/);
    }
  });
});

describe("memory, counts and spellings dstack reads", () => {
  const cases: [unknown, Partial<GpuSpec>][] = [
    // A range with a unit on one end only: the bare end is GB, as dstack's Memory reads a number.
    ["16GB..32", { memory: { min: 16, max: 32 }, count: { min: 1, max: null } }],
    ["32..64GB", { memory: { min: 32, max: 64 } }],
    ["A100:16GB..32:2", { name: ["A100"], memory: { min: 16, max: 32 }, count: { min: 2, max: 2 } }],
    ["1TB..2048", { memory: { min: 1024, max: 2048 } }],
    ["..40gb", { memory: { min: null, max: 40 } }],
    // Spaces are dropped before the tokens are read.
    ["A100 : 80GB : 2", { name: ["A100"], memory: { min: 80, max: 80 }, count: { min: 2, max: 2 } }],
    ["RTX 4090", { vendor: "nvidia", name: ["RTX4090"] }],
    // The deprecated `tpu-` prefix.
    ["tpu-v3-8", { vendor: "google", name: ["v3-8"] }],
    [{ name: ["tpu-v5p-8"] }, { vendor: "google", name: ["v5p-8"] }],
    // Object forms: lists, ranges as text or {min, max}, compute capability as a pair.
    [
      { name: ["A100", "H100"], count: { min: 1, max: 2 }, memory: { min: "40GB" } },
      { vendor: "nvidia", name: ["A100", "H100"], count: { min: 1, max: 2 }, memory: { min: 40, max: null } },
    ],
    [{ name: "H100", count: "2..", total_memory: "160GB.." }, { count: { min: 2, max: null } }],
    [{ compute_capability: [8, 0] }, { compute_capability: "8.0" }],
    [{ compute_capability: 8.6 }, { compute_capability: "8.6" }],
    [{ vendor: "NVIDIA" }, { vendor: "nvidia" }],
  ];
  it.each(cases)("%j", (raw, expected) => {
    expect(parsed(raw).spec).toMatchObject(expected);
  });

  it("warns that the tpu- prefix is deprecated", () => {
    expect(parsed("tpu-v3-8").warnings).toEqual([expect.stringMatching(/"tpu-" prefix is deprecated/)]);
  });

  it.each([
    ["1TB..2", /minimum greater than its maximum/],
    ["16GB..32XB", /neither a GPU count nor a memory size/],
    ["A100,", /a GPU name is empty/],
    ["..", /neither a minimum nor a maximum/],
    [{ compute_capability: [8, 0, 1] }, /not a version/],
  ])("rejects %j as dstack does", (raw, message) => {
    const result = parseGpu(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });
});
