// What `dstack gc` finds in a cloud: one resource carrying the dstack-managed tag (label), as the
// clouds' list calls describe it, and where it must be imported from to be deleted the Pulumi way.

export type GcCloud = "aws" | "gcp";
export type GcKind = "instance" | "tpu" | "volume" | "security-group";

export interface FoundResource {
  cloud: GcCloud;
  /** Where a provider reaches it: the AWS region, the GCP project. */
  scope: string;
  /** Region or zone, as the cloud reports it. */
  location: string;
  kind: GcKind;
  /** The Pulumi type token it is imported as. */
  type: string;
  id: string;
  /** The `Name` tag (AWS) or the resource's own name (GCP); "" when it has none. */
  name: string;
  /** Its dstack tags (dstack-project, dstack-pool, dstack-instance, dstack-volume). */
  tags: Record<string, string>;
  /** ISO time of creation when the cloud says; null when it does not (AWS security groups). */
  created: string | null;
}

/** Volumes hold data: `--yes` alone keeps them. */
export const isVolume = (r: FoundResource): boolean => r.kind === "volume";

/** Only a resource's dstack tags (and Name), for display: other tags may be anyone's business. */
export function dstackTags(tags: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).filter(([k]) => k.startsWith("dstack") || k === "Name"));
}
