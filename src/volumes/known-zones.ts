// The zones the catalog lists for a backend's region: where a volume without availability_zone goes
// (the first of them, volume-zone.ts).
import { loadOffers } from "../catalog/offers.js";

export function catalogZones(home: string): (backend: string, region: string) => string[] {
  return (backend, region) =>
    loadOffers({ backends: [backend], home })
      .offers.filter((o) => o.region === region)
      .flatMap((o) => o.zones);
}
