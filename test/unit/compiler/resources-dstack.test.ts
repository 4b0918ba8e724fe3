// `resources` as dstack 0.22 reads it (its ResourcesSpec, CPUSpec, GPUSpec, DiskSpec and fleets'
// `resources: None`): YAML in, the normalized values out, one row per spelling.
import { describe, expect, it } from "vitest";
import { errors, json, run, warnings } from "./helpers.js";

const task = (resources: string): string => `type: task\ncommands: [x]\nresources:\n${resources}`;
const resourcesOf = (text: string): Record<string, unknown> =>
  json(run(text)).resources as Record<string, unknown>;

describe("legacy and alternative spellings dstack still accepts", () => {
  const cases: [string, string, Record<string, unknown>][] = [
    ["cpu: {min: 4}", "  cpu: {min: 4}\n", { cpu: { arch: null, count: { min: 4, max: null } } }],
    ["cpu: {min, max}", "  cpu: {min: 4, max: 16}\n", { cpu: { arch: null, count: { min: 4, max: 16 } } }],
    ["cpu: {max}", "  cpu: {max: 8}\n", { cpu: { arch: null, count: { min: null, max: 8 } } }],
    [
      "cpu: {count: {min}}",
      "  cpu: {arch: arm, count: {min: 8}}\n",
      { cpu: { arch: "arm", count: { min: 8, max: null } } },
    ],
    ["memory: {min}", "  memory: {min: 16GB}\n", { memory: { min: 16, max: null } }],
    ["memory: {min, max}", "  memory: {min: 16GB, max: 64GB}\n", { memory: { min: 16, max: 64 } }],
    ["disk: {size}", "  disk: {size: 200GB}\n", { disk: { size: { min: 200, max: 200 } } }],
    ["disk: {size: range}", "  disk: {size: 100GB..}\n", { disk: { size: { min: 100, max: null } } }],
    ["disk: {size: {min}}", "  disk: {size: {min: 150GB}}\n", { disk: { size: { min: 150, max: null } } }],
    [
      "gpu object with lists and ranges",
      "  gpu:\n    name: [A100, H100]\n    count: {min: 1, max: 2}\n    memory: 40GB..\n",
      {
        gpu: {
          vendor: "nvidia",
          name: ["A100", "H100"],
          count: { min: 1, max: 2 },
          memory: { min: 40, max: null },
          total_memory: null,
          compute_capability: null,
        },
      },
    ],
    [
      "gpu object with memory as {min, max}",
      "  gpu: {name: L40S, memory: {min: 24GB, max: 48GB}, count: 1}\n",
      {
        gpu: expect.objectContaining({ memory: { min: 24, max: 48 }, count: { min: 1, max: 1 } }) as unknown,
      },
    ],
    [
      "gpu compute_capability as a pair",
      "  gpu: {compute_capability: [8, 0]}\n",
      { gpu: expect.objectContaining({ compute_capability: "8.0" }) as unknown },
    ],
    [
      "gpu memory range with one unit",
      "  gpu: 16GB..32\n",
      { gpu: expect.objectContaining({ memory: { min: 16, max: 32 }, vendor: null }) as unknown },
    ],
  ];
  it.each(cases)("%s", (_what, yaml, expected) => {
    const result = run(task(yaml));
    expect(errors(result)).toEqual([]);
    expect(resourcesOf(task(yaml))).toMatchObject(expected);
  });

  it("null where dstack's field is Optional means not written", () => {
    const yaml = "  gpu: null\n  disk: null\n  shm_size: null\n  cpu: {arch: null, count: 4}\n";
    expect(errors(run(task(yaml)))).toEqual([]);
    expect(resourcesOf(task(yaml))).toMatchObject({
      cpu: { arch: null, count: { min: 4, max: 4 } },
      shm_size: null,
      disk: { size: { min: 100, max: null } },
      gpu: null,
    });
    const gpu = "  gpu: {vendor: null, name: null, count: 2, memory: null, compute_capability: null}\n";
    expect(resourcesOf(task(gpu))).toMatchObject({
      gpu: { vendor: null, name: null, count: { min: 2, max: 2 } },
    });
  });

  it("a {min, max} cpu mixed with arch is an error that says how to write it", () => {
    const [error] = errors(run(task("  cpu: {arch: x86, min: 4}\n")));
    expect(error).toMatchObject({ path: "resources.cpu", message: "resources.cpu mixes min with arch" });
    expect(error?.hint).toMatch(/\{arch: x86, count: \{min: 4\}\}/);
  });
});

describe("gpu: 0 asks for exactly no GPU", () => {
  it.each([
    ["gpu: 0", { vendor: null, count: { min: 0, max: 0 } }],
    ["gpu: nvidia:0", { vendor: "nvidia", count: { min: 0, max: 0 } }],
    ["gpu: {count: 0}", { vendor: null, count: { min: 0, max: 0 } }],
  ])("%s", (line, gpu) => {
    expect(resourcesOf(task(`  ${line}\n`))).toMatchObject({ gpu });
  });

  it("--gpu 0 on the command line replaces the configuration's GPU with none", () => {
    const result = run(task("  gpu: A100\n"), { overrides: { gpu: "0" } });
    expect(json(result).resources).toMatchObject({ gpu: { count: { min: 0, max: 0 }, name: null } });
  });

  it("in a fleet, too", () => {
    const spec = json(run("type: fleet\nnodes: 1\nresources:\n  gpu: 0\n"));
    expect(spec.resources).toMatchObject({ gpu: { count: { min: 0, max: 0 } } });
  });
});

describe("a backend fleet without resources", () => {
  it("keeps resources unset (any instance), not a run's defaults", () => {
    expect(json(run("type: fleet\nnodes: 2\n")).resources).toBeNull();
  });

  it("takes dstack's defaults for what is not written once resources are written", () => {
    expect(json(run("type: fleet\nnodes: 1\nresources:\n  gpu: 24GB\n")).resources).toMatchObject({
      cpu: { count: { min: 2, max: null } },
      memory: { min: 8, max: null },
      disk: { size: { min: 100, max: null } },
    });
  });

  it("takes resources from CLI flags when the file has none", () => {
    const spec = json(run("type: fleet\nnodes: 1\n", { overrides: { gpu: "A100" } }));
    expect(spec.resources).toMatchObject({ gpu: { name: ["A100"] } });
  });
});

describe("GPU names and vendors in a configuration", () => {
  it("an unknown name is accepted with the vendor unset and a warning", () => {
    const result = run(task("  gpu: X9000:2\n"));
    expect(resourcesOf(task("  gpu: X9000:2\n"))).toMatchObject({ gpu: { vendor: null, name: ["X9000"] } });
    expect(warnings(result).map((w) => `${w.path} ${w.code}`)).toEqual(["resources.gpu unknown-gpu"]);
  });

  it("a vendor that contradicts the name is an error at the key, with the fix", () => {
    const [error] = errors(run(task("  gpu: amd:H100\n")));
    expect(error).toMatchObject({
      path: "resources.gpu",
      message: "H100 is made by nvidia, not amd",
      hint: "drop the vendor or write nvidia",
      position: { line: 4, col: 8 },
    });
  });
});
