// A volume's settings as its record keeps them, and what differs between a record and a configuration
// of the same name: applying an unchanged volume again changes nothing, a changed one is refused
// (a volume is never resized or moved in place: that could lose its data).
import { formatSize } from "../compiler/grammar/units.js";
import type { VolumeSpec } from "../compiler/spec.js";
import type { VolumeRecord } from "./store.js";

export type VolumeSettings = Pick<
  VolumeRecord,
  "backend" | "region" | "availability_zone" | "size_gb" | "volume_id" | "registered"
>;

export function settingsOf(spec: VolumeSpec): VolumeSettings {
  return {
    backend: spec.backend,
    region: spec.region,
    availability_zone: spec.availability_zone,
    size_gb: spec.size,
    volume_id: spec.volume_id,
    registered: spec.volume_id !== null,
  };
}

const show = (value: string | number | null, size = false): string =>
  value === null ? "none" : size && typeof value === "number" ? formatSize(value) : String(value);

/** `size 10GB (the configuration says 20GB)`, one per differing setting; empty when they agree. */
export function settingsDiff(recorded: VolumeRecord, spec: VolumeSpec): string[] {
  const wanted = settingsOf(spec);
  const diffs: string[] = [];
  const compare = (label: string, a: string | number | null, b: string | number | null, size = false) => {
    if (a !== b) diffs.push(`${label} ${show(a, size)} (the configuration says ${show(b, size)})`);
  };
  compare("backend", recorded.backend, wanted.backend);
  compare("region", recorded.region, wanted.region);
  // A configuration without a zone takes whichever zone the volume was created in (volume-zone.ts).
  if (wanted.availability_zone !== null)
    compare("availability_zone", recorded.availability_zone, wanted.availability_zone);
  compare("size", recorded.size_gb, wanted.size_gb, true);
  // A created volume's id is the provider's, found once it exists: only a registered one names its own.
  if (recorded.registered || wanted.registered)
    compare("volume_id", recorded.registered ? recorded.volume_id : null, wanted.volume_id);
  return diffs;
}

/** `local`, `aws us-east-1`, `aws us-east-1 (us-east-1a)`. */
export function volumeWhere(v: Pick<VolumeRecord, "backend" | "region" | "availability_zone">): string {
  const region = v.backend === "local" ? "" : ` ${v.region}`;
  return `${v.backend}${region}${v.availability_zone === null ? "" : ` (${v.availability_zone})`}`;
}
