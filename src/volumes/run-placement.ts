// Where a run that mounts recorded cloud volumes must run. A network volume lives in one zone and
// attaches only to an instance there, so the run's instance goes to the volumes' backend, region and
// zone: its offers are kept to that place (every zone of an offer narrowed to the volume's), and its
// pool stack attaches each volume by the provider's id (never creating or deleting it). Pure but for
// reading records.
import type { MatchedOffer } from "../catalog/offer.js";
import { UserError } from "../errors.js";
import { listInstances } from "../pools/pool-store.js";
import { isZoneName } from "../stacks/aws/zones.js";
import type { PoolVolumeSpec } from "../stacks/pool-spec.js";
import { volumeWhere } from "./settings.js";
import type { VolumeRecord } from "./store.js";

export interface RunPlacement {
  backend: string;
  region: string;
  zone: string;
  /** What the instance's pool stack attaches, in mount order. */
  volumes: PoolVolumeSpec[];
}

const where = (v: VolumeRecord): string => `${v.name} (${volumeWhere(v)})`;

/** The place every mounted cloud volume shares; undefined when the run mounts none. */
export function runPlacement(mounted: readonly VolumeRecord[]): RunPlacement | undefined {
  const cloud = mounted.filter((v) => v.backend !== "local");
  const [first] = cloud;
  if (first === undefined) return undefined;
  const local = mounted.find((v) => v.backend === "local");
  if (local !== undefined)
    throw new UserError(
      "volumes-apart",
      `volume ${where(local)} lives on this machine and ${where(first)} on ${first.backend}: no instance can attach both`,
      "mount volumes of one backend, region and zone",
    );
  for (const volume of cloud) {
    if (volume.availability_zone === null)
      throw new UserError(
        "volume-zone-unknown",
        `volume ${volume.name} was registered without availability_zone, so dstack cannot tell where to run the instance that attaches it`,
        `\`dstack volume delete ${volume.name}\` (only forgets it), add availability_zone (the zone the volume is in) to ${volume.config_file}, and apply it again`,
      );
    if (
      volume.backend !== first.backend ||
      volume.region !== first.region ||
      volume.availability_zone !== first.availability_zone
    )
      throw new UserError(
        "volumes-apart",
        `volumes ${where(first)} and ${where(volume)} are in different places: an instance attaches only volumes of its own zone`,
        "mount volumes of one backend, region and zone",
      );
  }
  return {
    backend: first.backend,
    region: first.region,
    zone: first.availability_zone ?? "",
    volumes: cloud.map((v) => ({
      name: v.name,
      size_gb: v.size_gb ?? 0,
      zone: v.availability_zone,
      // A created volume's id is the provider's, recorded once its stack is up (active records only).
      volume_id: v.volume_id ?? "",
    })),
  };
}

/**
 * The offers of the placement's backend and region, each narrowed to the volumes' zone: an offer that
 * lists zones keeps it only if listed; one whose zones are unknown is tried there (the cloud says if the
 * type is not offered in it). AWS offers list AZ ids, which a zone name cannot be compared with: tried
 * there too.
 */
export function placedOffers(offers: readonly MatchedOffer[], placement: RunPlacement): MatchedOffer[] {
  const zone = placement.zone.toLowerCase();
  return offers.flatMap((offer) => {
    if (offer.backend !== placement.backend || offer.region !== placement.region) return [];
    const listed = offer.zones.some((z) => z.toLowerCase() === zone);
    const unknowable =
      offer.zones.length === 0 || (offer.backend === "aws" && isZoneName(offer.region, zone));
    return listed || unknowable ? [{ ...offer, zones: [placement.zone] }] : [];
  });
}

/** Nothing matches where the volumes are: say where that is, and what did match elsewhere. */
export function noPlacedOffer(placement: RunPlacement, requirements: string, elsewhere: number): UserError {
  const names = placement.volumes.map((v) => v.name).join(", ");
  const place = `${placement.backend} ${placement.region} (${placement.zone})`;
  return new UserError(
    "no-offer",
    `no offer matching ${requirements} is in ${place}, where ${placement.volumes.length === 1 ? "volume" : "volumes"} ${names} ${placement.volumes.length === 1 ? "is" : "are"}: an instance attaches only volumes of its own zone${elsewhere > 0 ? ` (${elsewhere} offer${elsewhere === 1 ? "" : "s"} match elsewhere)` : ""}`,
    `relax the resources (dstack offer -b ${placement.backend} -r ${placement.region} shows what is there), check that ~/.dstack/config.yml configures ${placement.backend} in ${placement.region}, or use a volume in another zone`,
  );
}

/** What the plan says of the restriction. */
export function placementNote(placement: RunPlacement): string {
  const names = placement.volumes.map((v) => v.name).join(", ");
  return `Volume${placement.volumes.length === 1 ? "" : "s"} ${names}: the instance goes to ${placement.backend} ${placement.region} (${placement.zone}), where ${placement.volumes.length === 1 ? "it is" : "they are"}, and attaches ${placement.volumes.length === 1 ? "it" : "them"}.`;
}

/**
 * A volume attaches to one instance at a time. A run that could not reuse the instance holding one of
 * its volumes (busy, or made for other resources) cannot have it attached to a new instance.
 */
export function refuseHeldVolumes(home: string, placement: RunPlacement): void {
  const wanted = new Set(placement.volumes.map((v) => v.name));
  for (const { pool, instance } of listInstances(home)) {
    const held = (instance.attached_volumes ?? []).find((v) => wanted.has(v.name));
    if (held === undefined) continue;
    const runs = instance.active_runs ?? [];
    throw new UserError(
      "volume-attached",
      `volume ${held.name} is attached to instance ${instance.name} (pool ${pool.name}${runs.length === 0 ? "" : `, running ${runs.join(", ")}`}), which this run cannot use`,
      runs.length === 0
        ? `\`dstack pool remove ${instance.name}\` detaches it (or wait until the instance's idle_duration tears it down); then apply again`
        : `wait for ${runs.join(", ")} to end (or dstack stop ${runs[0]!}), then apply again: the idle instance is reused`,
    );
  }
}
