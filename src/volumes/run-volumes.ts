// How a run's network volume mounts meet the volume records. A mount of a recorded local volume binds
// that volume's Docker volume (a registered one's volume_id); a mount of a name with no record keeps the
// old behaviour (Docker makes an empty, unmanaged volume of that name at first use), with a warning so
// a typo does not silently give a run an empty disk; a mount of a volume that does not exist yet is
// refused before anything is provisioned. A recorded cloud volume places the run's instance in its zone
// and is attached by its pool stack (run-placement.ts); on the VM the agent mounts the device the
// attachment gives (volumeDevices below).
import type { RunSpec } from "../compiler/spec.js";
import { UserError } from "../errors.js";
import type { PoolInstance } from "../pools/pool-store.js";
import { stampAlive } from "../process-identity.js";
import { guestDevices } from "../stacks/guest-devices.js";
import { runPlacement, type RunPlacement } from "./run-placement.js";
import { listVolumes, type VolumeRecord } from "./store.js";

/** A mount names its alternatives; the local backend takes the first (src/runs/job-spec.ts). */
const mountedNames = (spec: RunSpec): string[] =>
  spec.volumes.flatMap((v) => (v.kind === "network" && v.name[0] !== undefined ? [v.name[0]] : []));

/** Names with ${{ }} interpolation differ per node: not checked against the records. */
const interpolated = (name: string): boolean => name.includes("${{");

/** The Docker volume a mounted name binds: the recorded local volume's, else the name itself. */
export function runVolumeName(home: string): (name: string) => string {
  const local = new Map(
    listVolumes(home)
      .filter((v) => v.backend === "local")
      .map((v) => [v.name, v.volume_id ?? v.name]),
  );
  return (name) => local.get(name) ?? name;
}

function refusal(volume: VolumeRecord): UserError | undefined {
  if (volume.status === "provisioning")
    return new UserError(
      "volume-not-ready",
      `volume ${volume.name} is ${volume.creator !== undefined && stampAlive(volume.creator) ? "still being created" : "not created: the apply creating it was interrupted"}`,
      `wait for it, or apply its configuration again (${volume.config_file})`,
    );
  return undefined;
}

/**
 * Where the run's instance must be for the recorded cloud volumes it mounts, and what its pool stack
 * attaches; undefined when it mounts none. Refuses a volume not created yet, and volumes apart.
 */
export function cloudVolumePlacement(home: string, spec: RunSpec): RunPlacement | undefined {
  const names = mountedNames(spec).filter((n) => !interpolated(n));
  if (names.length === 0) return undefined;
  const records = new Map(listVolumes(home).map((v) => [v.name, v]));
  const mounted = names.flatMap((n) => {
    const volume = records.get(n);
    return volume === undefined ? [] : [volume];
  });
  for (const volume of mounted) {
    const refused = refusal(volume);
    if (refused !== undefined) throw refused;
  }
  return runPlacement(mounted);
}

/**
 * The guest devices of the volumes attached to a cloud instance, by volume name: the job spec hands
 * them to the agent, which mounts the first that exists (src/runtime-agent/block-volume.ts).
 */
export function volumeDevices(
  backend: string,
  instance: PoolInstance | undefined,
): (name: string) => string[] | undefined {
  const attached = instance?.spec?.volumes ?? [];
  const ids = new Map((instance?.attached_volumes ?? []).map((v) => [v.name, v.volume_id]));
  return (name) => {
    const n = attached.indexOf(name);
    return n < 0 ? undefined : guestDevices(backend, name, n, ids.get(name) ?? null);
  };
}

/** Refuses mounts that cannot work; returns a warning per name that no volume record holds. */
export function checkRunVolumes(home: string, spec: RunSpec): string[] {
  const names = mountedNames(spec).filter((n) => !interpolated(n));
  if (names.length === 0) return [];
  const records = new Map(listVolumes(home).map((v) => [v.name, v]));
  const warnings: string[] = [];
  for (const name of names) {
    const volume = records.get(name);
    if (volume === undefined) {
      warnings.push(
        `warning: no volume named ${name} (dstack volume list): Docker on the run's instance makes an empty volume of that name that dstack does not manage; \`dstack apply -f\` a volume configuration to create it first`,
      );
      continue;
    }
    const refused = refusal(volume);
    if (refused !== undefined) throw refused;
  }
  return warnings;
}
