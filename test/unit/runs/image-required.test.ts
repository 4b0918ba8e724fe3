// The default image is CUDA on Ubuntu: a run asking for AMD, Intel Gaudi or Tenstorrent accelerators
// without `image` (or docker: true) is refused before anything is created, as dstack's server does;
// NVIDIA, TPUs, unknown names and no GPU pass.
import { describe, expect, it } from "vitest";
import { compile } from "../../../src/compiler/compile.js";
import type { DevEnvironmentSpec, TaskSpec } from "../../../src/compiler/spec.js";
import { imageRequired, vendorsNeedingImage } from "../../../src/runs/image-required.js";

function task(yaml: string): DevEnvironmentSpec | TaskSpec {
  const r = compile({ file: "t.yml", text: `type: task\ncommands: [hostname]\n${yaml}`, noProfile: true });
  if (r.spec?.type !== "task") throw new Error(r.diagnostics.map((d) => d.message).join("; "));
  return r.spec;
}

describe("image required for accelerators the default image cannot serve", () => {
  it.each([
    ["resources: {gpu: MI300X}\n", ["amd"]],
    ["resources: {gpu: amd:2}\n", ["amd"]],
    ["resources: {gpu: gaudi2:8}\n", ["intel"]],
    ["resources: {gpu: n150}\n", ["tenstorrent"]],
    ["resources: {gpu: {name: [MI300X, MI325X]}}\n", ["amd"]],
    ["resources: {gpu: H100}\n", []],
    ["resources: {gpu: v5litepod-8}\n", []],
    ["resources: {gpu: SOMETHING-NEW}\n", []],
    ["resources: {gpu: 0}\n", []],
    ["", []],
    ["image: rocm/pytorch\nresources: {gpu: MI300X}\n", []],
    ["docker: true\nresources: {gpu: MI300X}\n", []],
  ])("%s", (yaml, vendors) => {
    expect(vendorsNeedingImage(task(yaml))).toEqual(vendors);
  });

  it("says which vendors and how to fix it", () => {
    expect(imageRequired(task("resources: {gpu: MI300X}\n"))).toEqual({
      error: "image must be set: the default image does not support amd accelerators (as in dstack)",
      hint: "set image to your accelerator vendor's image (e.g. rocm/pytorch for AMD), or docker: true",
    });
    expect(imageRequired(task("resources: {gpu: A100}\n"))).toBeUndefined();
  });
});
