// Volumes in the session: `volume delete` (refused while a run uses the volume; a registered volume is
// only forgotten) and the rows `volume list` shows. Applying one is src/volumes/apply-volume.ts.
import { closest } from "../compiler/suggest.js";
import { clearPendingOperations, destroy } from "../engine/stack-runner.js";
import { UserError } from "../errors.js";
import { stampAlive } from "../process-identity.js";
import { dockerVolumeExists, removeContainers } from "../stacks/local/docker-volumes.js";
import { volumeWhere } from "../volumes/settings.js";
import { listVolumes, readVolume, removeVolume, volumeStore, type VolumeRecord } from "../volumes/store.js";
import { volumeRow, type VolumeRow } from "../volumes/volume-view.js";
import { recordedVolumeTarget } from "../volumes/volume-stack.js";
import type { Toolkit } from "./toolkit.js";
import { unreadableWarning } from "./unreadable-records.js";
import { dockerVolumeName, volumeUsers } from "./volume-users.js";

export type VolumeDeleteResult =
  | { kind: "deleted"; volume: VolumeRecord; removedContainers: string[] }
  | { kind: "forgotten"; volume: VolumeRecord }
  | { kind: "declined" };

export function requireVolume(home: string, name: string): VolumeRecord {
  const volume = readVolume(home, name);
  if (volume !== undefined) return volume;
  const near = closest(
    name,
    listVolumes(home).map((v) => v.name),
  );
  throw new UserError(
    "volume-not-found",
    `no volume named "${name}"`,
    near === undefined ? "dstack volume list shows the volumes" : `did you mean "${near}"?`,
  );
}

const plural = (n: number, one: string, many: string): string => (n === 1 ? one : many);

export async function deleteVolumeIn(kit: Toolkit, name: string): Promise<VolumeDeleteResult> {
  const volume = requireVolume(kit.home, name);
  const creator = volume.status === "provisioning" ? volume.creator : undefined;
  if (creator !== undefined && stampAlive(creator))
    throw new UserError(
      "volume-busy",
      `volume ${name} is being created by dstack process ${creator.pid}`,
      "wait for that apply to finish (or press Ctrl-C in it)",
    );
  const users = await volumeUsers(kit.home, volume);
  const [first] = users.attached;
  if (first !== undefined)
    throw new UserError(
      "volume-attached",
      `volume ${name} is attached to ${users.attached.join(", ")}`,
      first.startsWith("container ")
        ? "remove that container first (docker rm), then delete the volume again"
        : first.startsWith("instance ")
          ? `\`dstack pool remove ${first.slice("instance ".length)}\` detaches it (or wait until its idle_duration tears it down), then delete the volume again`
          : `stop ${plural(users.attached.length, "it", "them")} first (dstack stop ${first}), then delete the volume again`,
    );
  const where = volumeWhere(volume);
  const question = volume.registered
    ? `Forget the registered volume ${name} (${where}, ${volume.volume_id ?? "?"})? dstack does not delete it.`
    : `Delete the volume ${name} (${where}) and all its data?`;
  if (!(await kit.io.confirm(question))) return { kind: "declined" };
  if (volume.registered || volume.stack === null) {
    removeVolume(kit.home, name);
    return { kind: "forgotten", volume };
  }
  // Containers of ended runs that name the volume keep Docker from removing it: they go first.
  const removed = users.ended.map((u) => u.container);
  removeContainers(removed);
  const engine = kit.engine(volume.stack.backend_url);
  const target = recordedVolumeTarget(volume.stack, engine);
  // A killed apply may have left a pending create: dropped, the destroy then removes what exists.
  if (creator !== undefined) await clearPendingOperations(target);
  await destroy(target, { remove: true, signal: kit.signal });
  removeVolume(kit.home, name);
  if (volume.backend === "local" && dockerVolumeExists(dockerVolumeName(volume)))
    throw new UserError(
      "volume-left",
      `the stack of volume ${name} is destroyed, but Docker still has the volume ${dockerVolumeName(volume)}`,
      `\`docker volume rm ${dockerVolumeName(volume)}\` removes it (dstack has forgotten it)`,
    );
  return { kind: "deleted", volume, removedContainers: removed };
}

/** Every volume as `volume list` shows it; a local one asks Docker who uses it and whether it exists. */
export async function volumeRows(kit: Toolkit): Promise<VolumeRow[]> {
  const { records, unreadable } = volumeStore(kit.home).list();
  // A record that cannot be read is skipped and named, never a crash.
  for (const error of unreadable)
    kit.io.notify({
      code: "records.unreadable",
      level: "warn",
      text: unreadableWarning(error),
      data: { error: error.code, where: error.where, message: error.message, hint: error.hint ?? null },
    });
  const rows: VolumeRow[] = [];
  for (const volume of records) {
    const local = volume.backend === "local" && volume.status === "active";
    rows.push(
      volumeRow(volume, {
        attached: volume.status === "active" ? (await volumeUsers(kit.home, volume)).attached : [],
        creatorAlive: volume.creator !== undefined && stampAlive(volume.creator),
        ...(local ? { exists: dockerVolumeExists(dockerVolumeName(volume)) } : {}),
      }),
    );
  }
  return rows;
}
