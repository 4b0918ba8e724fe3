// A matched offer: the offer with its chosen disk (and narrowed zones). Written out field by field
// rather than spread: spreading a 24-key object costs ~1 µs, which dominated broad queries such as
// "any offer" (1,700 matches); the type checker keeps this list complete.
import type { MatchedOffer, Offer } from "./offer.js";

export function matched(o: Offer, disk_gb: number, zones: readonly string[] = o.zones): MatchedOffer {
  return {
    backend: o.backend,
    region: o.region,
    zones,
    instance_type: o.instance_type,
    instance_id: o.instance_id,
    accelerator: o.accelerator,
    spot: o.spot,
    price: o.price,
    cpus: o.cpus,
    cpu_arch: o.cpu_arch,
    memory_gb: o.memory_gb,
    gpu_vendor: o.gpu_vendor,
    gpu_name: o.gpu_name,
    gpu_count: o.gpu_count,
    gpu_memory_gb: o.gpu_memory_gb,
    compute_capability: o.compute_capability,
    gpu_fraction: o.gpu_fraction,
    local_disk_gb: o.local_disk_gb,
    disk_min_gb: o.disk_min_gb,
    disk_max_gb: o.disk_max_gb,
    deprecated: o.deprecated,
    price_estimated: o.price_estimated,
    disk_gb,
  };
}
