// Cheapest first; equal prices are ordered by backend, region, instance type and on-demand before spot,
// compared by code unit (not locale), so the order is the same on every machine.
import type { Offer } from "./offer.js";

const text = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function compareOffers(a: Offer, b: Offer): number {
  return (
    a.price - b.price ||
    text(a.backend, b.backend) ||
    text(a.region, b.region) ||
    text(a.instance_id, b.instance_id) ||
    Number(a.spot) - Number(b.spot)
  );
}
