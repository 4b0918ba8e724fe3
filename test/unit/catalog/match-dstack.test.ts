// The matcher on requests whose meaning this project once got wrong: `gpu: 0` (exactly no GPU), unknown
// GPU names (no vendor guessed), and a backend fleet without resources (dstack's unconstrained()).
import { describe, expect, it } from "vitest";
import { matchOffers } from "../../../src/catalog/match.js";
import type { Offer } from "../../../src/catalog/offer.js";
import { requirementsOf, UNCONSTRAINED_RESOURCES } from "../../../src/catalog/requirements.js";
import { compile } from "../../../src/compiler/compile.js";
import { CATALOG, LOCAL, runRequirements } from "./helpers.js";

function specOf(text: string) {
  const result = compile({ file: "x.dstack.yml", text });
  if (result.spec === null || result.spec.type === "volume")
    throw new Error(result.diagnostics.map((d) => d.message).join("; "));
  return result.spec;
}

const matchYaml = (text: string, offers: readonly Offer[] = CATALOG) =>
  matchOffers(offers, requirementsOf(specOf(text)));

const gpuOffer: Offer = {
  ...LOCAL,
  instance_type: "gpu-box",
  instance_id: "gpu-box",
  gpu_vendor: "nvidia",
  gpu_name: "A100",
  gpu_count: 1,
  gpu_memory_gb: 80,
};

describe("a zero-GPU request matches only offers without GPUs", () => {
  it.each([
    ["task, gpu: 0", "type: task\ncommands: [x]\nresources:\n  gpu: 0\n"],
    ["task, gpu: nvidia:0", "type: task\ncommands: [x]\nresources:\n  gpu: nvidia:0\n"],
    [
      "task with image, gpu: {count: 0}",
      "type: task\ncommands: [x]\nimage: ubuntu\nresources:\n  gpu: {count: 0}\n",
    ],
    ["dev environment, gpu: A100:0", "type: dev-environment\nide: vscode\nresources:\n  gpu: A100:0\n"],
    ["fleet, gpu: 0", "type: fleet\nnodes: 1\nresources:\n  gpu: 0\n"],
  ])("%s", (_what, text) => {
    const all = matchYaml(`${text}spot_policy: auto\n`);
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((o) => o.gpu_count === 0)).toBe(true);
    expect(matchYaml(text, [gpuOffer])).toEqual([]);
    expect(matchYaml(text, [LOCAL]).length).toBe(1);
  });

  it("while no gpu at all still allows GPU offers", () => {
    expect(matchYaml("type: task\ncommands: [x]\n", [gpuOffer]).length).toBe(1);
  });
});

describe("an unknown GPU name is matched by name, with no vendor guessed", () => {
  it("an AMD-made name the vendor table lacks still finds the AMD offer", () => {
    // V520 is a known spelling without a gpuhunt vendor: dstack leaves the vendor unset.
    const list = matchOffers(
      CATALOG,
      runRequirements("type: task\ncommands: [x]\nresources:\n  gpu: V520\n"),
    );
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((o) => o.gpu_vendor === "amd")).toBe(true);
  });

  it("a mix of vendors matches offers of either", () => {
    const list = matchOffers(
      CATALOG,
      runRequirements("type: task\ncommands: [x]\nimage: rocm/pytorch\nresources:\n  gpu: A10G,V520\n"),
    );
    expect(new Set(list.map((o) => o.gpu_vendor))).toEqual(new Set(["nvidia", "amd"]));
  });
});

describe("a backend fleet without resources matches any instance", () => {
  it("uses dstack's unconstrained resources", () => {
    const req = requirementsOf(specOf("type: fleet\nnodes: 1\n"));
    expect(req.resources).toEqual(UNCONSTRAINED_RESOURCES);
  });

  it("so instances below a run's defaults (2 CPUs, 8GB) match too", () => {
    const small: Offer = { ...LOCAL, instance_type: "tiny", instance_id: "tiny", cpus: 1, memory_gb: 2 };
    expect(matchYaml("type: fleet\nnodes: 1\n", [small]).length).toBe(1);
    expect(matchYaml("type: fleet\nnodes: 1\nresources: {gpu: 0..}\n", [small])).toEqual([]);
    expect(matchYaml("type: task\ncommands: [x]\n", [small])).toEqual([]);
  });

  it("and GPU offers of every vendor", () => {
    const vendors = new Set(matchYaml("type: fleet\nnodes: 1\nspot_policy: auto\n").map((o) => o.gpu_vendor));
    expect(vendors).toEqual(new Set([null, "nvidia", "amd", "google"]));
  });
});

describe("docker-in-docker", () => {
  it("gets no NVIDIA default (dstack's dind image is not a CUDA image); without docker the base image does", () => {
    const dind = requirementsOf(specOf("type: task\ndocker: true\ncommands: [docker ps]\n"));
    expect(dind.resources.gpu).toBeNull();
    const base = requirementsOf(specOf("type: task\ncommands: [nvidia-smi]\n"));
    expect(base.resources.gpu?.vendor).toBe("nvidia");
  });
});
