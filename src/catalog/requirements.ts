// What an offer must satisfy: the normalized resources and the placement fields of a run or fleet spec.
import type { FleetSpec, PlacementSpec, ResourcesSpec, RunSpec } from "../compiler/spec.js";

export type Requirements = Pick<
  PlacementSpec,
  "backends" | "regions" | "availability_zones" | "instance_types" | "spot_policy" | "max_price"
> & {
  /** `gpu: null` asks for nothing: offers with and without GPUs both match. */
  resources: ResourcesSpec;
};

/**
 * dstack's `ResourcesSpec.unconstrained()`, what a backend fleet without `resources` asks for: any
 * instance (1.. CPUs, any memory, any or no GPU). No disk request: the offer gets the default disk.
 */
export const UNCONSTRAINED_RESOURCES: ResourcesSpec = {
  cpu: { arch: null, count: { min: 1, max: null } },
  memory: { min: 0, max: null },
  shm_size: null,
  disk: null,
  gpu: null,
};

/**
 * The requirements a spec places on offers. Like dstack's server, a run without `image` runs the
 * CUDA base image, so its GPU vendor defaults to NVIDIA when neither vendor nor names say otherwise
 * (not with `docker: true`: dstack's docker-in-docker image is not a CUDA image, so no vendor applies):
 * without a GPU request that means "no GPU, or NVIDIA GPUs", never a TPU or an AMD card. A request of
 * exactly no GPU (`gpu: 0`) is left as it is: no vendor applies to an offer without GPUs.
 */
export function requirementsOf(spec: RunSpec | FleetSpec): Requirements {
  let resources = spec.resources ?? UNCONSTRAINED_RESOURCES;
  if (spec.type !== "fleet" && spec.image === null && spec.docker !== true) {
    const gpu = resources.gpu;
    if (gpu === null) {
      resources = {
        ...resources,
        gpu: {
          vendor: "nvidia",
          name: null,
          count: { min: 0, max: null },
          memory: null,
          total_memory: null,
          compute_capability: null,
        },
      };
    } else if (gpu.vendor === null && gpu.name === null && gpu.count.max !== 0) {
      resources = { ...resources, gpu: { ...gpu, vendor: "nvidia" } };
    }
  }
  return {
    resources,
    backends: spec.backends,
    regions: spec.regions,
    availability_zones: spec.availability_zones,
    instance_types: spec.instance_types,
    spot_policy: spec.spot_policy,
    max_price: spec.max_price,
  };
}
