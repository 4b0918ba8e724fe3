// The availability-zone filter. Like dstack, an offer whose zones are unknown does not match a zone
// request, and a matching offer keeps only the requested zones. AWS is special: the catalog knows AZ IDs
// (`use1-az4`), while users may write zone names (`us-east-1a`), which map to IDs per account; a name of
// the offer's region is accepted, since any AWS account has it and only AWS can say where the type runs.
import type { Offer } from "./offer.js";

export function matchZones(offer: Offer, wanted: ReadonlySet<string>): string[] | null {
  const zones = offer.zones.filter((z) => wanted.has(z.toLowerCase()));
  if (offer.backend === "aws") {
    const region = offer.region.toLowerCase();
    for (const name of wanted)
      if (name.length === region.length + 1 && name.startsWith(region) && /[a-z]$/.test(name))
        zones.push(name);
  }
  return zones.length === 0 ? null : zones;
}
