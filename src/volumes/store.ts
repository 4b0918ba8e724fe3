// What dstack remembers of each network volume between commands: where it lives (backend, region,
// zone), its size, the provider's id (the Docker volume's name, an EBS volume id, a disk's id), whether
// dstack created it through its own stack (`volume-<name>`, destroyed only by `dstack volume delete`)
// or only registered an existing one (`volume_id`: never deleted by dstack). Pulumi's state stays the
// truth about what exists; this record says which stack to ask.
import { z } from "zod";
import { recordStore } from "../home/record-stores.js";
import { isoTime, processStampSchema } from "../home/record-fields.js";
import type { RecordKind, RecordStore } from "../home/record-store.js";

const volumeStackRef = z.object({
  project: z.string(),
  stack: z.string(),
  /** The Pulumi state backend holding it: `volume delete` destroys exactly that stack. */
  backend_url: z.string(),
});
export type VolumeStackRef = z.infer<typeof volumeStackRef>;

const volumeRecord = z.object({
  name: z.string(),
  backend: z.string(),
  region: z.string(),
  availability_zone: z.string().nullable(),
  /** As configured; null for a registered volume whose configuration gives none. */
  size_gb: z.number().nullable(),
  /** The provider's id: the Docker volume name (local), vol-... (AWS), the disk's id (GCP, Azure). */
  volume_id: z.string().nullable(),
  /** true: an existing volume named by `volume_id`, only recorded (dstack never deletes it). */
  registered: z.boolean(),
  /**
   * `provisioning` while the apply that creates it runs (with `creator`); `active` once it exists. A
   * provisioning record whose creator died is a killed apply: applying again finishes it.
   */
  status: z.enum(["provisioning", "active"]),
  creator: processStampSchema.optional(),
  /** The volume's own stack; null for a registered volume. */
  stack: volumeStackRef.nullable(),
  config_file: z.string(),
  created_at: isoTime,
});
export type VolumeRecord = z.infer<typeof volumeRecord>;

export const VOLUME_KIND: RecordKind<VolumeRecord> = {
  noun: "volume",
  version: 1,
  schema: volumeRecord,
  key: (volume) => volume.name,
  order: (a, b) => a.name.localeCompare(b.name),
  whenRemoved:
    "dstack forgets the volume, not its data: the volume (and its stack, if dstack created it) stays",
};

export const volumeStore = (home: string): RecordStore<VolumeRecord> =>
  recordStore(VOLUME_KIND, home, "volumes");

export const readVolume = (home: string, name: string): VolumeRecord | undefined =>
  volumeStore(home).get(name);
export const writeVolume = (home: string, volume: VolumeRecord): void => volumeStore(home).put(volume);
export const removeVolume = (home: string, name: string): void => volumeStore(home).remove(name);
/** Every volume that can be read. */
export const listVolumes = (home: string): VolumeRecord[] => volumeStore(home).list().records;
