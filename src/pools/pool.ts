// The one interface every backend's pool implements (local and the clouds alike): preview, add and
// remove an instance, list what it holds, and ask the backend which instances vanished. Adding and
// removing always run under the pool lock. An instance is addressed as host + port + user everywhere.
import type { Plan } from "../engine/plan.js";
import type { Attempt } from "../planner/attempt-plan.js";
import type { PoolVolumeSpec } from "../stacks/pool-spec.js";
import type { PoolInstance, PoolRecord } from "./pool-store.js";

export interface InstanceAddress {
  /** The pool it belongs to (`local`, `aws-us-east-1`). */
  pool: string;
  name: string;
  host: string;
  port: number;
  user: string;
  zone: string | null;
}

/** An instance to create: the attempt says where and on which offer. */
export interface NewInstance {
  name: string;
  idle_duration: number | "off";
  attempt: Attempt;
  /** USD per hour cap for spot (the configuration's max_price). */
  max_price: number | null;
  reservation: string | null;
  /** The named pool it joins (named-pools.ts); absent: default-pool. */
  pool_name?: string;
  /** Existing cloud volumes (by volume_id) its pool stack attaches to it (src/volumes/run-placement.ts). */
  volumes?: readonly PoolVolumeSpec[];
}

export interface RemoveOptions {
  /** Say what was removed and why (engine output lines). */
  onOutput?: (line: string) => void;
}

export interface Pool {
  /** The pool's id, also its file name: `local`, `aws-us-east-1`. */
  readonly name: string;
  readonly backend: string;
  readonly region: string;
  record(): PoolRecord;
  /** The infrastructure diff of adding the instance, without changing anything. */
  preview(instance: NewInstance, signal?: AbortSignal): Promise<Plan>;
  /** Creates the instance (recorded before the update, removed again when it fails). */
  add(instance: NewInstance, signal?: AbortSignal): Promise<InstanceAddress>;
  /** Destroys the instance through the pool's stack; the last one takes the stack with it. */
  remove(name: string): Promise<void>;
  /** The complete instances (created, not being created) that the backend no longer has. */
  vanished(): Promise<PoolInstance[]>;
}

export function addressOf(pool: string, instance: PoolInstance): InstanceAddress | undefined {
  if (instance.ssh_port === undefined) return undefined;
  return {
    pool,
    name: instance.name,
    host: instance.host ?? "127.0.0.1",
    port: instance.ssh_port,
    user: instance.ssh_user ?? "root",
    zone: instance.zone ?? null,
  };
}
