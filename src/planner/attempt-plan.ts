// The attempt plan: the order in which provisioning tries the matched offers. Pure, so that
// `dstack apply --dry-run` and `-v` can show exactly what a real apply would try, in that order.
import type { MatchedOffer } from "../catalog/offer.js";
import { formatPrice, textTable } from "../text-table.js";

export type SpotPolicy = "spot" | "on-demand" | "auto";

/** One try: an offer pinned to one availability zone (or to none, when the zones are unknown). */
export interface Attempt {
  /** 1-based position in the plan. */
  n: number;
  backend: MatchedOffer["backend"];
  region: string;
  /** null: the offer lists no zones, so the cloud picks one. */
  zone: string | null;
  instance_type: string;
  spot: boolean;
  price: number;
  offer: MatchedOffer;
}

export interface PlanOptions {
  spotPolicy: SpotPolicy;
  /** The most attempts made before giving up (dstack tries at most 25 offers too). */
  maxAttempts?: number;
}

export const DEFAULT_MAX_ATTEMPTS = 25;

/**
 * Expands the matcher's offers (already cheapest first) into attempts. Every zone of an offer is its
 * own attempt and they stay together: a zonal capacity error moves on to the next zone of the same
 * offer before a dearer offer is tried. With `auto`, every spot attempt comes before any on-demand one,
 * since the user asked for spot when it can be had. The cap applies after that ordering, so a small
 * cap keeps the spot attempts.
 */
export function planAttempts(offers: readonly MatchedOffer[], opts: PlanOptions): Attempt[] {
  const max = opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(max) || max < 0)
    throw new RangeError(`maxAttempts must be a non-negative integer, got ${max}`);
  // The matcher has already applied the policy; filtering again keeps the plan honest if it is
  // handed a mixed list (e.g. offers pinned by `dstack offer --json` output).
  const allowed = offers.filter((o) =>
    opts.spotPolicy === "spot" ? o.spot : opts.spotPolicy === "on-demand" ? !o.spot : true,
  );
  // A stable partition keeps the price order within each half.
  const ordered =
    opts.spotPolicy === "auto"
      ? [...allowed.filter((o) => o.spot), ...allowed.filter((o) => !o.spot)]
      : allowed;
  const attempts: Attempt[] = [];
  for (const offer of ordered) {
    const zones: readonly (string | null)[] = offer.zones.length === 0 ? [null] : offer.zones;
    for (const zone of zones) {
      if (attempts.length >= max) return attempts;
      attempts.push({
        n: attempts.length + 1,
        backend: offer.backend,
        region: offer.region,
        zone,
        instance_type: offer.instance_type,
        spot: offer.spot,
        price: offer.price,
        offer,
      });
    }
  }
  return attempts;
}

/** The plan as a numbered table, in the columns of `dstack offer` plus the zone. */
export function renderAttemptPlan(attempts: readonly Attempt[]): string {
  if (attempts.length === 0) return " No offers to try.";
  const rows = [
    ["#", "BACKEND", "REGION", "ZONE", "INSTANCE", "SPOT", "PRICE"],
    ...attempts.map((a) => [
      String(a.n),
      a.backend,
      a.region,
      a.zone ?? "-",
      a.instance_type,
      a.spot ? "spot" : "on-demand",
      formatPrice(a.price),
    ]),
  ];
  return textTable(rows);
}

/** The plan as `--json` prints it: the attempt without the full offer, which `dstack offer` shows. */
export function attemptJson(a: Attempt): Record<string, unknown> {
  return {
    n: a.n,
    backend: a.backend,
    region: a.region,
    zone: a.zone,
    instance_type: a.instance_type,
    spot: a.spot,
    price: a.price,
  };
}
