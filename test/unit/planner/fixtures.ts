// Offers and attempts for the planner tests: only the fields the planner reads vary.
import type { MatchedOffer } from "../../../src/catalog/offer.js";
import type { Attempt } from "../../../src/planner/attempt-plan.js";

export function offer(over: Partial<MatchedOffer> & Pick<MatchedOffer, "backend" | "region">): MatchedOffer {
  return {
    zones: [],
    instance_type: "p4d.24xlarge",
    instance_id: over.instance_type ?? "p4d.24xlarge",
    accelerator: null,
    spot: false,
    price: 1,
    cpus: 96,
    cpu_arch: "x86",
    memory_gb: 1152,
    gpu_vendor: "nvidia",
    gpu_name: "A100",
    gpu_count: 8,
    gpu_memory_gb: 40,
    compute_capability: "8.0",
    gpu_fraction: null,
    local_disk_gb: 0,
    disk_min_gb: 8,
    disk_max_gb: 16384,
    deprecated: false,
    price_estimated: false,
    disk_gb: 100,
    ...over,
  };
}

export function attempt(n: number, o: MatchedOffer, zone: string | null = null): Attempt {
  return {
    n,
    backend: o.backend,
    region: o.region,
    zone,
    instance_type: o.instance_type,
    spot: o.spot,
    price: o.price,
    offer: o,
  };
}
