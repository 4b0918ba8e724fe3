// Who uses a volume right now, for `volume list` (ATTACHED TO) and `volume delete` (refused while any
// run does). On the local backend Docker says it: every container that names the volume, running or
// not (a stopped one still keeps Docker from removing it). Elsewhere, the runs whose configuration
// mounts the volume by name and whose agents report them active, and the instances the volume is
// attached to (an idle one keeps it attached until it is torn down).
import { dockerVolumeUsers, type VolumeUser } from "../stacks/local/docker-volumes.js";
import { listInstances } from "../pools/pool-store.js";
import type { VolumeRecord } from "../volumes/store.js";
import { runStatuses } from "./run-status.js";

export interface VolumeUsers {
  /** Active runs (or, for a container dstack did not start, its name) that mount it. */
  attached: string[];
  /** Containers of ended dstack runs that still name it: removed (with their logs) by a delete. */
  ended: VolumeUser[];
}

/** The Docker volume a record stands for (a registered one's id is the Docker volume's name). */
export const dockerVolumeName = (volume: VolumeRecord): string => volume.volume_id ?? volume.name;

/** Whether a run's applied configuration mounts the volume (any of a mount's alternative names). */
export function mountsVolume(spec: Readonly<Record<string, unknown>>, volume: string): boolean {
  const mounts = Array.isArray(spec.volumes) ? (spec.volumes as unknown[]) : [];
  return mounts.some((m) => {
    const mount = m as { kind?: unknown; name?: unknown };
    return mount.kind === "network" && Array.isArray(mount.name) && mount.name.includes(volume);
  });
}

export function localVolumeUsers(volume: VolumeRecord): VolumeUsers {
  const users = dockerVolumeUsers(dockerVolumeName(volume));
  return {
    attached: users
      .filter((u) => u.running || u.run === null)
      .map((u) => (u.run === null ? `container ${u.container}${u.running ? "" : " (stopped)"}` : u.run)),
    ended: users.filter((u) => !u.running && u.run !== null),
  };
}

export async function volumeUsers(home: string, volume: VolumeRecord): Promise<VolumeUsers> {
  if (volume.backend === "local") return localVolumeUsers(volume);
  const { runs } = await runStatuses(home, { all: false });
  const holders = listInstances(home)
    .filter(({ instance }) => (instance.attached_volumes ?? []).some((v) => v.name === volume.name))
    .map(({ instance }) => `instance ${instance.name}`);
  return {
    attached: [
      ...runs.filter((r) => mountsVolume(r.record.spec, volume.name)).map((r) => r.record.name),
      ...holders,
    ],
    ended: [],
  };
}
