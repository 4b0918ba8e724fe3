// dstack's default image is Ubuntu with CUDA: NVIDIA GPUs and TPUs work in it, AMD, Intel Gaudi and
// Tenstorrent accelerators need their vendors' own images. Like dstack's server
// at submission (server/services/runs/spec.py), a run asking for those without `image` (or
// `docker: true`, for accelerators) is refused, before anything is created. Unknown GPU names are let
// through, as dstack does: they may well be NVIDIA.
import type { DevEnvironmentSpec, TaskSpec } from "../compiler/spec.js";
import { lookupGpu, type GpuVendor } from "../compiler/grammar/gpu-names.js";

const WORK_IN_DEFAULT_IMAGE: readonly GpuVendor[] = ["nvidia", "google"];

/** The vendors the run asks for that the default image cannot serve, sorted; empty when fine. */
export function vendorsNeedingImage(spec: DevEnvironmentSpec | TaskSpec): GpuVendor[] {
  const gpu = spec.resources.gpu;
  if (spec.image !== null || spec.docker === true || gpu === null || gpu.count.max === 0) return [];
  const vendors = new Set<GpuVendor>();
  if (gpu.vendor !== null) vendors.add(gpu.vendor);
  else
    for (const name of gpu.name ?? []) {
      const known = lookupGpu(name)?.vendor;
      if (known !== null && known !== undefined) vendors.add(known);
    }
  return [...vendors].filter((v) => !WORK_IN_DEFAULT_IMAGE.includes(v)).sort();
}

/** Why the run cannot use the default image; undefined when it can (or names its own). */
export function imageRequired(
  spec: DevEnvironmentSpec | TaskSpec,
): { error: string; hint: string } | undefined {
  const vendors = vendorsNeedingImage(spec);
  if (vendors.length > 0)
    return {
      error: `image must be set: the default image does not support ${vendors.join(", ")} accelerators (as in dstack)`,
      hint: "set image to your accelerator vendor's image (e.g. rocm/pytorch for AMD), or docker: true",
    };
  return undefined;
}
