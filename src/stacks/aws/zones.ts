// AWS names a zone two ways: by name (`us-east-1a`, which each account maps to a physical zone of its
// own) and by AZ id (`use1-az4`, the same everywhere). The catalog knows ids; EBS volumes, and what
// users write, use names. A name is the region plus one letter.
export function isZoneName(region: string, zone: string): boolean {
  return zone.length === region.length + 1 && zone.startsWith(region) && /[a-z]$/.test(zone);
}

/** The zone every account has in a region: its `a` zone, where a volume without a zone is created. */
export const firstZoneName = (region: string): string => `${region}a`;
