// Text and JSON views of matched offers, in dstack's layout: a short header, the offer table
// (`#  BACKEND  REGION  RESOURCES  INSTANCE  SPOT  PRICE`) and a footer with the count and price span.
import type { GpuGroup } from "../../src/catalog/group.js";
import type { MatchedOffer } from "../../src/catalog/offer.js";
import { formatPrice, textTable as table } from "../../src/text-table.js";

const gb = (n: number): string => `${Number(n.toFixed(1))}GB`;

export function formatOfferResources(o: MatchedOffer): string {
  const parts = [`cpu=${o.cpus}`, `mem=${gb(o.memory_gb)}`, `disk=${gb(o.disk_gb)}`];
  if (o.gpu_count > 0 && o.gpu_name !== null) {
    const slice = o.gpu_fraction === null ? "" : ` (1/${Math.round(1 / o.gpu_fraction)} GPU)`;
    parts.push(`${o.gpu_name.replace(/\s+/g, "")}:${gb(o.gpu_memory_gb)}:${o.gpu_count}${slice}`);
  }
  return parts.join(" ");
}

export function offersTable(shown: readonly MatchedOffer[], all: readonly MatchedOffer[]): string {
  const rows = [
    ["#", "BACKEND", "REGION", "RESOURCES", "INSTANCE", "SPOT", "PRICE"],
    ...shown.map((o, i) => [
      String(i + 1),
      o.backend,
      o.region,
      formatOfferResources(o),
      o.instance_type,
      o.spot ? "spot" : "on-demand",
      formatPrice(o.price),
    ]),
  ];
  return `${table(rows)}\n\n ${footer(shown.length, all)}`;
}

/** `Shown N of M offers, $min max $max` (the prices span every matching offer, not only those shown). */
export function footer(shown: number, all: readonly MatchedOffer[]): string {
  const min = Math.min(...all.map((o) => o.price));
  const max = Math.max(...all.map((o) => o.price));
  return `Shown ${shown} of ${all.length} offer${all.length === 1 ? "" : "s"}, ${formatPrice(min)} max ${formatPrice(max)}`;
}

export function offerJson(o: MatchedOffer): Record<string, unknown> {
  return {
    backend: o.backend,
    region: o.region,
    instance_type: o.instance_type,
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
    disk_gb: o.disk_gb,
    local_disk_gb: o.local_disk_gb,
    zones: o.zones,
    ...(o.accelerator === null ? {} : { accelerator: o.accelerator, instance_id: o.instance_id }),
    ...(o.gpu_fraction === null ? {} : { gpu_fraction: o.gpu_fraction }),
    ...(o.deprecated ? { deprecated: true } : {}),
    ...(o.price_estimated ? { price_estimated: true } : {}),
  };
}

export function groupsTable(groups: readonly GpuGroup[]): string {
  const rows = [
    ["#", "GPU", "SPOT", "$/GPU", "BACKEND", "REGION"],
    ...groups.map((g, i) => [
      String(i + 1),
      `${g.name.replace(/\s+/g, "")}:${gb(g.memory_gb)}:${g.count.min === g.count.max ? g.count.min : `${g.count.min}..${g.count.max}`}`,
      g.spot.join(", "),
      g.price.min === g.price.max
        ? formatPrice(g.price.min)
        : `${formatPrice(g.price.min)}..${formatPrice(g.price.max)}`,
      g.backends.join(", "),
      g.regions.length <= 3 ? g.regions.join(", ") : `${g.regions.length} regions`,
    ]),
  ];
  return table(rows);
}
