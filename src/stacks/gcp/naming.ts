// GCP names of a pool's resources. Cloud names come from resourceName() (tags.ts) so every cloud names
// things alike; GCP additionally needs RFC 1035 names (lowercase, a letter first, at most 63 characters),
// and a plain cut at 63 could give two long instance names the same name, so long names end in a hash.
import { createHash } from "node:crypto";
import { resourceName, type TagScope } from "../tags.js";

const GCP_NAME_MAX = 63;

export function gcpName(scope: TagScope, suffix?: string): string {
  const full = ["dstack", scope.project, scope.pool, ...(suffix === undefined ? [] : [suffix])].join("-");
  const name = resourceName(scope, suffix);
  if (full.length <= GCP_NAME_MAX) return name;
  const hash = createHash("sha256").update(full).digest("hex").slice(0, 8);
  return `${name.slice(0, GCP_NAME_MAX - hash.length - 1).replace(/-+$/, "")}-${hash}`;
}

/**
 * The network tag the pool's firewall rule targets. It names project and pool (not the pool alone):
 * two dstack projects sharing a GCP network must not open each other's ports.
 */
export function networkTag(scope: TagScope): string {
  return gcpName({ project: scope.project, pool: scope.pool });
}

/**
 * The zone when the spec leaves it to the cloud. Compute Engine has no "any zone" for an instance or a
 * disk, and a disk attaches only within its zone, so instances and volumes without one meet in `-a`,
 * which every GCP region has.
 */
export function zoneOf(region: string, zone: string | null): string {
  return zone ?? `${region}-a`;
}

/** A disk's device name (RFC 1035): the guest sees it as /dev/disk/by-id/google-<name>. */
export function deviceName(volume: string): string {
  const clean = volume.toLowerCase().replace(/[^a-z0-9-]/g, "-");
  const name = /^[a-z]/.test(clean) ? clean : `v-${clean}`;
  return name.slice(0, GCP_NAME_MAX).replace(/-+$/, "");
}
