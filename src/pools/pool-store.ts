// What dstack remembers of each pool between commands: which instances its Pulumi stack holds, how to
// reach each one (host + port + user, the same for every backend), the offer it was made from, and
// the bookkeeping of reuse and teardown (claims, idleness, the runs on it). One record per pool in the
// record store; Pulumi's state stays the truth about what exists.
import { z } from "zod";
import { ownerSchema } from "../home/owner.js";
import { recordStore } from "../home/record-stores.js";
import { isoTime, processStampSchema } from "../home/record-fields.js";
import type { RecordKind, RecordStore } from "../home/record-store.js";
import type { PoolInstanceSpec, PoolVolumeSpec } from "../stacks/pool-spec.js";

const poolInstanceSpec = z.object({
  name: z.string(),
  instance_type: z.string(),
  accelerator: z.object({ type: z.string(), count: z.number().int() }).nullable(),
  tpu: z.boolean(),
  gpu_vendor: z.string().nullable(),
  gpu_count: z.number().int().nonnegative(),
  zone: z.string().nullable(),
  spot: z.boolean(),
  max_price: z.number().nullable(),
  reservation: z.string().nullable(),
  disk_gb: z.number(),
  image: z.string().nullable(),
  volumes: z.array(z.string()),
  idle_duration_s: z.number().nullable().optional(),
  ssh_public_keys: z.array(z.string()).optional(),
}) satisfies z.ZodType<PoolInstanceSpec>;

const poolVolumeSpec = z.object({
  name: z.string(),
  size_gb: z.number(),
  zone: z.string().nullable(),
  volume_id: z.string().nullable(),
}) satisfies z.ZodType<PoolVolumeSpec>;

const poolInstance = z.object({
  name: z.string(),
  /** The availability zone it was created in; null or absent when none was chosen. */
  zone: z.string().nullable().optional(),
  created_at: isoTime,
  idle_duration: z.union([z.number(), z.literal("off")]),
  /** How to reach its sshd, once it exists: 127.0.0.1 and a published port locally, the public IP on a cloud. */
  host: z.string().optional(),
  ssh_port: z.number().int().optional(),
  ssh_user: z.string().optional(),
  /** The offer it was made from (absent in local records written before clouds ran runs). */
  instance_type: z.string().optional(),
  spot: z.boolean().optional(),
  price: z.number().optional(),
  /** A cloud instance's place in its pool stack: what the backend's builder makes of it. */
  spec: poolInstanceSpec.optional(),
  /**
   * The recorded cloud volumes attached to it (spec.volumes names them), each by the provider's id:
   * the pool stack keeps them attached while the instance lives, and never creates or deletes them.
   */
  attached_volumes: z.array(poolVolumeSpec).optional(),
  /** The cloud's id of the instance (EC2 instance id, GCP self link, Azure VM id). */
  id: z.string().optional(),
  /** Its address inside the cloud network (a cloud instance's, as the stack reported it). */
  private_ip: z.string().optional(),
  /**
   * Set for an instance added in advance (`dstack pool add`): its idle_duration is the pool's, and a run
   * that reuses it does not change it (a run's own instance takes the idle_duration of its last run).
   */
  pinned_idle_duration: z.boolean().optional(),
  /** Set when a run is being placed on it, so the reaper leaves it alone meanwhile. */
  claimed_at: isoTime.optional(),
  /**
   * The idle_duration it was created with, which its user data gives its agent for the self-stop
   * backstop (src/runtime-agent/self-stop.ts). Never changes, so the stack never sees a diff; absent in
   * records written before the backstop (then the agent has none).
   */
  created_idle_duration: z.union([z.number(), z.literal("off")]).optional(),
  /**
   * A local instance's creation inputs that belong to its creator (on a shared backend): the keys its
   * user data authorizes and the folder of its seed and data. The stack keeps them whoever updates it.
   */
  ssh_public_keys: z.array(z.string()).optional(),
  local_root: z.string().optional(),
  /** Who created it (absent in records written before shared backends). */
  owner: ownerSchema.optional(),
  /** Set while a removal (pool remove, the reaper, delete) destroys it: `terminating` in pool ps. */
  terminating_at: isoTime.optional(),
  /** When the reaper first saw it without active runs. */
  idle_since: isoTime.optional(),
  /**
   * The process creating it, while its create runs: an entry whose creator died (SIGKILL, crash)
   * mid-create is a leftover the next command removes. Cleared once the instance is up.
   */
  creator: processStampSchema.optional(),
  /** The named pool it belongs to (`dstack pool create`, `--pool`); absent: default-pool. */
  pool_name: z.string().optional(),
  /** The runs last seen active on it: if the instance disappears, these were interrupted. */
  active_runs: z.array(z.string()).optional(),
});
export type PoolInstance = z.infer<typeof poolInstance>;

const poolRecord = z.object({
  /** The pool's id: `local`, or `<backend>-<region>` for a cloud pool. */
  name: z.string(),
  /** Absent in local pool files written before clouds ran runs: `local`. */
  backend: z.string().optional(),
  region: z.string().optional(),
  instances: z.array(poolInstance),
  /** The Pulumi state backend holding the pool's stack, so the reaper and later commands use the same one. */
  backend_url: z.string().optional(),
  /**
   * Set when the pool is a fleet's (`type: fleet`): named after it, its stack is the fleet's, and it
   * goes away with `dstack delete` of the fleet, not with the recovery of a killed apply.
   */
  fleet: z.string().optional(),
});
export type PoolRecord = z.infer<typeof poolRecord>;

export const POOL_KIND: RecordKind<PoolRecord> = {
  noun: "pool",
  version: 1,
  schema: poolRecord,
  key: (pool) => pool.name,
  order: (a, b) => a.name.localeCompare(b.name),
  whenRemoved:
    "dstack forgets the pool's instances, which may still exist and cost money: restore the file rather than remove it",
};

export const poolStore = (home: string): RecordStore<PoolRecord> => recordStore(POOL_KIND, home, "pools");

/** The pool's record; a pool without one has no instances. */
export const readPool = (home: string, pool: string): PoolRecord =>
  poolStore(home).get(pool) ?? { name: pool, instances: [] };

export const writePool = (home: string, pool: PoolRecord): void => poolStore(home).put(pool);

export const removePool = (home: string, pool: string): void => poolStore(home).remove(pool);

/** Every pool that can be read (an emptied pool keeps its record with no instances). */
export const listPools = (home: string): PoolRecord[] => poolStore(home).list().records;

/** Instances of every pool, each with the pool it belongs to. */
export function listInstances(home: string): { pool: PoolRecord; instance: PoolInstance }[] {
  return listPools(home).flatMap((pool) => pool.instances.map((instance) => ({ pool, instance })));
}

export function updatePoolInstance(
  home: string,
  pool: string,
  name: string,
  patch: Partial<PoolInstance>,
): void {
  poolStore(home).update(pool, (record) =>
    record.instances.some((i) => i.name === name)
      ? { ...record, instances: record.instances.map((i) => (i.name === name ? { ...i, ...patch } : i)) }
      : undefined,
  );
}

/** A run that ended (stopped, forgotten) is no longer one of the instance's active runs. */
export function dropActiveRun(home: string, pool: string, name: string, run: string): void {
  poolStore(home).update(pool, (record) =>
    record.instances.some((i) => i.name === name && (i.active_runs ?? []).includes(run))
      ? {
          ...record,
          instances: record.instances.map((i) =>
            i.name === name ? { ...i, active_runs: (i.active_runs ?? []).filter((r) => r !== run) } : i,
          ),
        }
      : undefined,
  );
}

/** Whether any pool holds an instance (the reaper runs while one does). */
export const hasInstances = (home: string): boolean => listPools(home).some((p) => p.instances.length > 0);
