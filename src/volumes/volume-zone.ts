// The zone a cloud volume is created in. A network volume lives in one zone and attaches only to
// instances there, so dstack always picks one: the configuration's availability_zone, else the
// region's first zone (AWS: its `a` zone, which every account has; GCP and Azure: the first zone the
// catalog lists for the region, else `-a` / `-1`). The plan says which, and why.
import type { VolumeSpec } from "../compiler/spec.js";
import { firstZoneName } from "../stacks/aws/zones.js";

export interface VolumeZone {
  zone: string;
  /** Why this zone: `availability_zone` (configured) or `first` (the region's first zone). */
  source: "availability_zone" | "first";
}

/** `knownZones`: the zones the catalog lists for the backend's region (GCP, Azure). */
export function volumeZone(spec: VolumeSpec, knownZones: () => readonly string[]): VolumeZone {
  if (spec.availability_zone !== null) return { zone: spec.availability_zone, source: "availability_zone" };
  if (spec.backend === "aws") return { zone: firstZoneName(spec.region), source: "first" };
  const [first] = [...new Set(knownZones())].sort();
  const fallback = spec.backend === "gcp" ? `${spec.region}-a` : `${spec.region}-1`;
  return { zone: first ?? fallback, source: "first" };
}

export function zoneNote(name: string, zone: VolumeZone): string {
  return zone.source === "availability_zone"
    ? `Zone: ${zone.zone} (availability_zone); runs that mount ${name} get instances there.`
    : `Zone: ${zone.zone}, the region's first zone (set availability_zone to choose another); runs that mount ${name} get instances there.`;
}
