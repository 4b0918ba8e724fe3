// What `dstack volume list` shows of a volume, derived from its record and what is known now: who uses
// it, whether its Docker volume still exists (local), whether the apply creating it is still alive.
import { formatSize } from "../compiler/grammar/units.js";
import type { VolumeRecord } from "./store.js";

export type VolumeStatus = "active" | "provisioning" | "failed" | "missing";

export interface VolumeNow {
  /** Runs (or foreign containers) using it. */
  attached: string[];
  /** Whether the apply that creates it is still running (a provisioning record). */
  creatorAlive: boolean;
  /** Local volumes: whether Docker still has it (undefined elsewhere: not asked). */
  exists?: boolean;
}

export interface VolumeRow {
  name: string;
  backend: string;
  region: string;
  availability_zone: string | null;
  size_gb: number | null;
  volume_id: string | null;
  registered: boolean;
  status: VolumeStatus;
  attached_to: string[];
  created_at: string;
  stack: VolumeRecord["stack"];
}

export function volumeStatus(volume: VolumeRecord, now: VolumeNow): VolumeStatus {
  if (volume.status === "provisioning") return now.creatorAlive ? "provisioning" : "failed";
  return now.exists === false ? "missing" : "active";
}

export function volumeRow(volume: VolumeRecord, now: VolumeNow): VolumeRow {
  return {
    name: volume.name,
    backend: volume.backend,
    region: volume.region,
    availability_zone: volume.availability_zone,
    size_gb: volume.size_gb,
    volume_id: volume.volume_id,
    registered: volume.registered,
    status: volumeStatus(volume, now),
    attached_to: now.attached,
    created_at: volume.created_at,
    stack: volume.stack,
  };
}

const STATUS_NOTE: Record<VolumeStatus, string> = {
  active: "active",
  provisioning: "provisioning",
  // The apply creating it was killed: applying again finishes it, `volume delete` removes it.
  failed: "failed (apply interrupted)",
  missing: "missing (removed outside dstack)",
};

/** NAME, BACKEND, REGION, SIZE, ATTACHED TO, STATUS. */
export function volumeTableRow(row: VolumeRow): string[] {
  return [
    row.name,
    row.backend,
    row.availability_zone === null ? row.region : `${row.region} (${row.availability_zone})`,
    row.size_gb === null ? "-" : formatSize(row.size_gb),
    row.attached_to.length === 0 ? "-" : row.attached_to.join(", "),
    `${STATUS_NOTE[row.status]}${row.registered ? ", registered" : ""}`,
  ];
}

export const VOLUME_TABLE_HEAD = ["NAME", "BACKEND", "REGION", "SIZE", "ATTACHED TO", "STATUS"];
