// Azure zones as ARM takes them. The catalog and fault texts name a zone `<location>-<n>` (`eastus-1`),
// the way Azure's portal and SKU listings do; a VM's or disk's `zones` property wants only the logical
// number (`"1"`), and refuses anything else.
export function armZone(zone: string): string {
  const m = /-(\d)$/.exec(zone);
  return m?.[1] ?? zone;
}

/** The `zones` property for a resource in `zone`, or nothing for a regional one. */
export function armZones(zone: string | null): { zones?: string[] } {
  return zone === null ? {} : { zones: [armZone(zone)] };
}
