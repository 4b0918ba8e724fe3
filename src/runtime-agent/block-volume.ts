// A cloud network volume on the VM: the pool stack attaches it as a block device, which the agent
// formats (ext4) when it holds nothing yet, mounts at /dstack-volumes/<name> once per instance, and binds
// into the run's container. The job spec lists where the device may appear (AWS NVMe by-id link or
// /dev/sdf..., GCP /dev/disk/by-id/google-<name>, Azure's LUN link); the first that exists is taken.
// When none exists (the fake cloud boots containers that have no block devices; a volume whose
// attachment has not shown up), the run gets a Docker volume of that name instead, and the log says so.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, realpathSync } from "node:fs";
import type { VolumeMount } from "./spec.js";

export const VOLUMES_ROOT = "/dstack-volumes";

/** The system calls, injected so the decisions can be tested without devices. */
export interface BlockOps {
  exists(path: string): boolean;
  realpath(path: string): string;
  /** The device mounted at `dir`, if any (/proc/mounts). */
  mountedAt(dir: string): string | undefined;
  /** Whether blkid finds anything on the device (a filesystem, a partition table): never formatted. */
  hasContent(device: string): boolean;
  mkdir(dir: string): void;
  /** Runs a command; throws with its output when it fails. */
  run(command: string, args: string[]): void;
}

type NetworkMount = Extract<VolumeMount, { kind: "network" }>;

/** The host path to bind for the volume, or undefined: bind a Docker volume of its name instead. */
export function mountBlockVolume(
  v: NetworkMount,
  ops: BlockOps,
  log: (line: string) => void,
): string | undefined {
  const devices = v.devices ?? [];
  if (devices.length === 0) return undefined;
  const device = devices.find((d) => ops.exists(d));
  if (device === undefined) {
    log(
      `volume ${v.name}: no block device (${devices.join(", ")}) on this instance; using a Docker volume named ${v.name} instead, whose data stays on this instance`,
    );
    return undefined;
  }
  const dir = `${VOLUMES_ROOT}/${v.name}`;
  if (ops.mountedAt(dir) !== undefined) return dir;
  const real = ops.realpath(device);
  if (!ops.hasContent(real)) {
    log(`volume ${v.name}: ${real} is empty, formatting it (ext4)`);
    ops.run("mkfs.ext4", ["-q", real]);
  }
  ops.mkdir(dir);
  ops.run("mount", [real, dir]);
  log(`volume ${v.name}: ${real} mounted at ${dir}`);
  return dir;
}

export const systemBlockOps: BlockOps = {
  exists: existsSync,
  realpath: realpathSync,
  mountedAt(dir) {
    const mounts = readFileSync("/proc/mounts", "utf8").split("\n");
    return mounts.map((l) => l.split(" ")).find((f) => f[1] === dir)?.[0];
  },
  hasContent(device) {
    // blkid exits 2 when it finds nothing on the device.
    return spawnSync("blkid", ["-p", device], { stdio: "ignore" }).status !== 2;
  },
  mkdir(dir) {
    mkdirSync(dir, { recursive: true });
  },
  run(command, args) {
    const result = spawnSync(command, args, { encoding: "utf8" });
    if (result.status !== 0)
      throw new Error(
        `${command} ${args.join(" ")} failed: ${(result.stderr || result.error?.message || `exit ${String(result.status)}`).trim()}`,
      );
  },
};
