// A pool's volumes: one persistent disk per spec volume, or an existing disk named by volume_id.
// Volumes hold the user's data and outlive every instance and the pool itself: a created Disk is
// retained on delete (a pool teardown forgets it instead of deleting it), and instances reach disks
// only through attachments (AttachedDisk, or a TPU's dataDisks), never owning them, so deleting an
// instance detaches and never deletes. A retained disk keeps its name: recreating the pool then fails
// on "already exists" until the spec names it by volume_id, which loses nothing.
import * as pulumi from "@pulumi/pulumi";
import { Disk } from "@pulumi/gcp/compute/disk.js";
import type { PoolVolumeSpec } from "../pool-spec.js";
import { gcpLabels } from "../tags.js";
import type { GcpPoolContext } from "./context.js";
import { gcpName, zoneOf } from "./naming.js";

export interface PoolVolume {
  name: string;
  zone: string;
  /** The pool's output id: the Disk's id, or the volume_id as given. */
  id: pulumi.Output<string>;
  /** What compute.AttachedDisk's `disk` takes: the disk's self link, or the name/link as given. */
  attachSource: pulumi.Output<string>;
  /** What a TPU VM's dataDisks[].sourceDisk takes (projects/P/zones/Z/disks/N); null when unknowable. */
  tpuSourceDisk: pulumi.Output<string> | null;
}

export const DISK_TYPE = "pd-balanced";

export function poolVolumes(ctx: GcpPoolContext): Map<string, PoolVolume> {
  return new Map(ctx.spec.volumes.map((volume) => [volume.name, poolVolume(ctx, volume)]));
}

/**
 * One volume: an existing disk by volume_id, else a new Disk. `retain` (a pool's disks): the pool's
 * teardown forgets it. A volume's own stack (`dstack apply` of a volume) passes false: destroying that
 * stack (`dstack volume delete`) deletes the disk.
 */
export function poolVolume(
  ctx: GcpPoolContext,
  volume: PoolVolumeSpec,
  { retain }: { retain: boolean } = { retain: true },
): PoolVolume {
  const zone = zoneOf(ctx.spec.region, volume.zone);
  if (volume.volume_id !== null) {
    const tpuSource = tpuSourceDisk(volume.volume_id, ctx.spec.network.project, zone);
    return {
      name: volume.name,
      zone,
      id: pulumi.output(volume.volume_id),
      attachSource: pulumi.output(volume.volume_id),
      tpuSourceDisk: tpuSource === null ? null : pulumi.output(tpuSource),
    };
  }
  const disk = new Disk(
    `${ctx.spec.pool}-vol-${volume.name}`,
    {
      // `vol-` keeps a volume's disk apart from an instance's boot disk, which GCP names after the
      // instance: a volume and an instance may share a name.
      name: gcpName(ctx.scope, `vol-${volume.name}`),
      size: volume.size_gb,
      zone,
      type: DISK_TYPE,
      labels: gcpLabels({ ...ctx.scope, volume: volume.name }),
    },
    { ...ctx.opts, retainOnDelete: retain },
  );
  // The disk's id is its relative path (projects/P/zones/Z/disks/N), which is what TPU VMs take.
  return { name: volume.name, zone, id: disk.id, attachSource: disk.selfLink, tpuSourceDisk: disk.id };
}

const COMPUTE_API = /^https:\/\/(www|compute)\.googleapis\.com\/compute\/v1\//;

/**
 * An existing disk as a TPU VM wants it. A self link or relative path is complete; a bare name needs the
 * GCP project, known only when the spec sets network.project (the provider's ambient project is not
 * visible to the program without an invoke).
 */
export function tpuSourceDisk(volumeId: string, project: string | undefined, zone: string): string | null {
  const path = volumeId.replace(COMPUTE_API, "");
  if (path.startsWith("projects/")) return path;
  if (path.includes("/") || project === undefined) return null;
  return `projects/${project}/zones/${zone}/disks/${path}`;
}
