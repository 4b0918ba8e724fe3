// What changed between the applied configuration of a run and a new one, and whether the agent can
// apply it in place (dstack: only `inactivity_duration` of a dev environment).
export const IN_PLACE_FIELDS = ["inactivity_duration"] as const;

export function changedFields(old: Record<string, unknown>, next: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(old), ...Object.keys(next)]);
  return [...keys].filter((k) => JSON.stringify(old[k]) !== JSON.stringify(next[k])).sort();
}

export function inPlaceOnly(changed: readonly string[]): boolean {
  return changed.length > 0 && changed.every((k) => (IN_PLACE_FIELDS as readonly string[]).includes(k));
}
