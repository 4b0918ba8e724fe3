// `dstack offer --group-by gpu,backend,region,count`: offers folded into one row per GPU model (and per
// backend, region or GPU count when asked), with the price per GPU and where it is sold. As in dstack,
// grouping must include `gpu`, `region` needs `backend`, and offers without GPUs are left out.
import type { MatchedOffer } from "./offer.js";

export const GROUP_FIELDS = ["gpu", "backend", "region", "count"] as const;
export type GroupField = (typeof GROUP_FIELDS)[number];

export interface GpuGroup {
  vendor: string;
  name: string;
  memory_gb: number;
  count: { min: number; max: number };
  /** Which kinds are on sale: `spot`, `on-demand` or both. */
  spot: ("spot" | "on-demand")[];
  /** USD per GPU per hour. */
  price: { min: number; max: number };
  backends: string[];
  regions: string[];
  offers: number;
}

export function parseGroupBy(values: readonly string[]): { fields: GroupField[] } | { error: string } {
  const fields: GroupField[] = [];
  for (const value of values.flatMap((v) => v.split(",")).map((v) => v.trim())) {
    if (value === "") continue;
    if (!(GROUP_FIELDS as readonly string[]).includes(value))
      return { error: `"${value}" is not one of ${GROUP_FIELDS.join(", ")}` };
    if (!fields.includes(value as GroupField)) fields.push(value as GroupField);
  }
  if (fields.length > 0 && !fields.includes("gpu"))
    return { error: `grouping by ${fields.join(", ")} needs gpu as well, e.g. --group-by gpu,${fields[0]}` };
  if (fields.includes("region") && !fields.includes("backend"))
    return { error: "grouping by region needs backend as well, e.g. --group-by gpu,backend,region" };
  return { fields };
}

export function groupOffers(offers: readonly MatchedOffer[], fields: readonly GroupField[]): GpuGroup[] {
  const groups = new Map<string, GpuGroup>();
  for (const offer of offers) {
    if (offer.gpu_count === 0 || offer.gpu_name === null || offer.gpu_vendor === null) continue;
    const key = [
      offer.gpu_vendor,
      offer.gpu_name,
      offer.gpu_memory_gb,
      fields.includes("backend") ? offer.backend : "",
      fields.includes("region") ? offer.region : "",
      fields.includes("count") ? offer.gpu_count : "",
    ].join("\u0000");
    const perGpu = offer.price / offer.gpu_count;
    const kind = offer.spot ? "spot" : "on-demand";
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, {
        vendor: offer.gpu_vendor,
        name: offer.gpu_name,
        memory_gb: offer.gpu_memory_gb,
        count: { min: offer.gpu_count, max: offer.gpu_count },
        spot: [kind],
        price: { min: perGpu, max: perGpu },
        backends: [offer.backend],
        regions: [offer.region],
        offers: 1,
      });
      continue;
    }
    group.count.min = Math.min(group.count.min, offer.gpu_count);
    group.count.max = Math.max(group.count.max, offer.gpu_count);
    if (!group.spot.includes(kind)) group.spot.push(kind);
    group.price.min = Math.min(group.price.min, perGpu);
    group.price.max = Math.max(group.price.max, perGpu);
    if (!group.backends.includes(offer.backend)) group.backends.push(offer.backend);
    if (!group.regions.includes(offer.region)) group.regions.push(offer.region);
    group.offers += 1;
  }
  const list = [...groups.values()];
  for (const g of list) {
    g.spot.sort((a, b) => (a === b ? 0 : a === "spot" ? -1 : 1));
    g.backends.sort();
    g.regions.sort();
  }
  return list.sort(
    (a, b) =>
      a.price.min - b.price.min ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
      a.memory_gb - b.memory_gb ||
      (a.backends[0]! < b.backends[0]! ? -1 : a.backends[0]! > b.backends[0]! ? 1 : 0) ||
      (a.regions[0]! < b.regions[0]! ? -1 : a.regions[0]! > b.regions[0]! ? 1 : 0) ||
      a.count.min - b.count.min,
  );
}
