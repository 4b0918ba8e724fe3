// The matcher: offers and requirements in, the matching offers out, cheapest first. Pure, no I/O.
// Semantics follow dstack and gpuhunt's `matches`: ranges are inclusive, GPU filters do not apply to an
// offer without GPUs when the GPU count may be 0, names match any of a list, compute capability is a
// minimum, and the root disk is chosen within what the backend can provision.
import type { Range } from "../compiler/grammar/range.js";
import { chooseDiskGb } from "./disk.js";
import { gpuKey } from "./gpu-key.js";
import { matched } from "./matched.js";
import type { MatchedOffer, Offer } from "./offer.js";
import { compareOffers } from "./order.js";
import { ccNumber, prepareQuery, type GpuQuery, type Query } from "./query.js";
import type { Requirements } from "./requirements.js";
import { matchZones } from "./zones.js";

export function matchOffers(offers: readonly Offer[], req: Requirements): MatchedOffer[] {
  const query = prepareQuery(req);
  const out: MatchedOffer[] = [];
  for (const offer of offers) {
    const match = matchOffer(offer, query);
    if (match !== null) out.push(match);
  }
  return out.sort(compareOffers);
}

const within = (value: number, range: Range): boolean =>
  (range.min === null || value >= range.min) && (range.max === null || value <= range.max);

export function matchOffer(offer: Offer, q: Query): MatchedOffer | null {
  if (q.backends !== null && !q.backends.has(offer.backend)) return null;
  if (q.regions !== null && !q.regions.has(offer.region.toLowerCase())) return null;
  if (q.spot !== null && offer.spot !== q.spot) return null;
  if (q.maxPrice !== null && offer.price > q.maxPrice) return null;
  const named = q.instanceTypes !== null && isNamed(offer, q.instanceTypes);
  if (q.instanceTypes !== null && !named) return null;
  // Retiring types and GPU slices stay out of offers unless asked for by name.
  if ((offer.deprecated || offer.gpu_fraction !== null) && !named) return null;
  if (q.cpuArch !== null && offer.cpu_arch !== q.cpuArch) return null;
  if (!within(offer.cpus, q.cpus) || !within(offer.memory_gb, q.memory)) return null;
  if (!gpuMatches(offer, q.gpu)) return null;
  const disk = chooseDiskGb(q.disk, offer.disk_min_gb, offer.disk_max_gb);
  if (disk === null) return null;
  if (q.zones === null) return matched(offer, disk);
  const zones = matchZones(offer, q.zones);
  return zones === null ? null : matched(offer, disk, zones);
}

function isNamed(offer: Offer, names: ReadonlySet<string>): boolean {
  return names.has(offer.instance_type.toLowerCase()) || names.has(offer.instance_id.toLowerCase());
}

const keys = new Map<string, string>();
function cachedKey(name: string): string {
  let key = keys.get(name);
  if (key === undefined) keys.set(name, (key = gpuKey(name)));
  return key;
}

function gpuMatches(offer: Offer, q: GpuQuery | null): boolean {
  // Trainium and Inferentia are not GPUs to dstack (gpuhunt does not list them): only on request.
  if (offer.gpu_vendor === "aws" && q?.vendor !== "aws") return false;
  if (q === null) return true;
  if (q.count.min === 0 && offer.gpu_count === 0) return true;
  if (q.vendor !== null && offer.gpu_vendor !== q.vendor) return false;
  if (!within(offer.gpu_count, q.count)) return false;
  if (q.names !== null && (offer.gpu_name === null || !q.names.has(cachedKey(offer.gpu_name)))) return false;
  if (q.computeCapability !== null) {
    if (offer.compute_capability === null || ccNumber(offer.compute_capability) < q.computeCapability)
      return false;
  }
  if (q.memory !== null && !within(offer.gpu_memory_gb, q.memory)) return false;
  if (q.totalMemory !== null && !within(offer.gpu_count * offer.gpu_memory_gb, q.totalMemory)) return false;
  return true;
}
