// When nothing matches, say what to relax: drop one requirement at a time and count what would match.
import type { Offer } from "./offer.js";
import { matchOffers } from "./match.js";
import type { Requirements } from "./requirements.js";

export interface Relaxation {
  /** What to drop, in the words of the flags: `--gpu`, `--max-price`, ... */
  drop: string;
  /** Offers that would match without it. */
  matches: number;
  /** The cheapest of them, USD per hour. */
  from: number;
}

const OPEN = { min: null, max: null };

const RELAXATIONS: readonly [string, (r: Requirements) => Requirements][] = [
  ["--gpu", (r) => ({ ...r, resources: { ...r.resources, gpu: null } })],
  ["--cpu", (r) => ({ ...r, resources: { ...r.resources, cpu: { arch: null, count: OPEN } } })],
  ["--memory", (r) => ({ ...r, resources: { ...r.resources, memory: OPEN } })],
  ["--disk", (r) => ({ ...r, resources: { ...r.resources, disk: { size: OPEN } } })],
  ["--max-price", (r) => ({ ...r, max_price: null })],
  ["the spot policy (--spot-auto)", (r) => ({ ...r, spot_policy: "auto" })],
  ["--backend", (r) => ({ ...r, backends: null })],
  ["--region", (r) => ({ ...r, regions: null })],
  ["availability_zones", (r) => ({ ...r, availability_zones: null })],
  ["--instance-type", (r) => ({ ...r, instance_types: null })],
];

/**
 * Single requirements whose removal would give offers. The narrowest fix comes first: dropping the price
 * cap of `H100:8 --max-price 1` is more to the point than dropping the GPU, which lets in everything.
 */
export function explainNoMatch(offers: readonly Offer[], req: Requirements): Relaxation[] {
  const out: Relaxation[] = [];
  for (const [drop, relax] of RELAXATIONS) {
    const relaxed = relax(req);
    if (JSON.stringify(relaxed) === JSON.stringify(req)) continue;
    const matched = matchOffers(offers, relaxed);
    if (matched.length > 0) out.push({ drop, matches: matched.length, from: matched[0]!.price });
  }
  return out.sort((a, b) => a.matches - b.matches);
}
