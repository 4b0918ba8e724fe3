// A pool as one Pulumi stack whose program holds one instance per entry of the pool file. Adding or
// removing an instance is an `up` of that stack with the new list, so the engine computes the diff and
// the state records exactly what exists. Local and cloud pools differ only in their adapter: the
// program, how outputs name an address, and how to ask the backend what still exists.
import { destroy, preview, up, type StackTarget } from "../engine/stack-runner.js";
import type { StateBackend } from "../engine/state-backend.js";
import type { Plan } from "../engine/plan.js";
import { UserError } from "../errors.js";
import { ownStamp } from "../process-identity.js";
import { CleanupFailed } from "../provisioning/cleanup-failed.js";
import type { InstanceAddress, NewInstance, Pool } from "./pool.js";
import { withPoolLock } from "./pool-lock.js";
import { readPool, updatePoolInstance, writePool, type PoolInstance, type PoolRecord } from "./pool-store.js";

/** The Pulumi engine every pool runs through. */
export interface EngineContext {
  backend: StateBackend;
  pulumiBinDir: string;
  onOutput?: (line: string) => void;
  /** dstack's own notes on a stack (a stale lock removed), for the user. */
  onNotice?: (line: string) => void;
}

/** Where the stack's outputs say an instance is. */
export interface OutputAddress {
  name: string;
  host: string;
  port: number;
  user: string;
  zone: string | null;
  id?: string;
}

export interface PoolAdapter {
  readonly backend: string;
  readonly region: string;
  /** The stack holding these instances. */
  target(instances: readonly PoolInstance[]): StackTarget;
  addresses(outputs: Record<string, unknown>): OutputAddress[];
  /** What the backend's program needs of a new instance beyond its name, zone and offer (a cloud's spec). */
  details(instance: NewInstance): Partial<PoolInstance>;
  /** Names of the given complete instances that the backend no longer has. */
  missing(instances: readonly PoolInstance[]): Promise<string[]>;
  /** Whether the last removal also removes the stack (a cloud pool's project then leaves no trace). */
  readonly removeStackWhenEmpty: boolean;
}

export class StackPool implements Pool {
  constructor(
    readonly name: string,
    private readonly home: string,
    private readonly engine: EngineContext,
    private readonly adapter: PoolAdapter,
  ) {}

  get backend(): string {
    return this.adapter.backend;
  }

  get region(): string {
    return this.adapter.region;
  }

  record(): PoolRecord {
    return readPool(this.home, this.name);
  }

  private run() {
    return { onOutput: this.engine.onOutput };
  }

  /** The pool file entry of a new instance: where and on which offer, plus the backend's details. */
  private entry(instance: NewInstance): PoolInstance {
    return {
      name: instance.name,
      zone: instance.attempt.zone,
      created_at: new Date().toISOString(),
      idle_duration: instance.idle_duration,
      instance_type: instance.attempt.instance_type,
      spot: instance.attempt.spot,
      price: instance.attempt.price,
      ...this.adapter.details(instance),
    };
  }

  /** The pool's stack with no instances: what recovery opens to clear a killed update's leftovers. */
  emptyTarget(): StackTarget {
    return this.adapter.target([]);
  }

  preview(instance: NewInstance, signal?: AbortSignal): Promise<Plan> {
    const wanted = [...this.record().instances, this.entry(instance)];
    return preview(this.adapter.target(wanted), { ...this.run(), signal });
  }

  add(instance: NewInstance, signal?: AbortSignal): Promise<InstanceAddress> {
    return withPoolLock(this.home, this.name, () => this.addUnderLock(instance, signal), signal);
  }

  private async addUnderLock(instance: NewInstance, signal?: AbortSignal): Promise<InstanceAddress> {
    const pool = this.record();
    if (
      pool.instances.length > 0 &&
      pool.backend_url !== undefined &&
      pool.backend_url !== this.engine.backend.url
    )
      throw new UserError(
        "backend-mismatch",
        `the ${this.name} pool's stack lives in ${pool.backend_url}, not ${this.engine.backend.url}`,
        `pass --backend-url ${pool.backend_url}, or wait until the pool's instances are gone`,
      );
    const entry: PoolInstance = {
      ...this.entry(instance),
      claimed_at: new Date().toISOString(),
      creator: ownStamp(),
    };
    // Recorded before `up`: if the update is interrupted, the next command still knows the instance
    // may exist and tears it down through the same stack.
    writePool(this.home, {
      ...pool,
      backend: this.backend,
      region: this.region,
      backend_url: this.engine.backend.url,
      instances: [...pool.instances, entry],
    });
    try {
      const result = await up(this.adapter.target([...pool.instances, entry]), { ...this.run(), signal });
      const found = this.adapter.addresses(result.outputs).find((a) => a.name === instance.name);
      if (found === undefined) throw new Error(`the pool stack did not report instance ${instance.name}`);
      updatePoolInstance(this.home, this.name, instance.name, {
        host: found.host,
        ssh_port: found.port,
        ssh_user: found.user,
        zone: found.zone,
        ...(found.id === undefined ? {} : { id: found.id }),
        creator: undefined,
      });
      return {
        pool: this.name,
        name: instance.name,
        host: found.host,
        port: found.port,
        user: found.user,
        zone: found.zone,
      };
    } catch (error) {
      // The provider removes a half-created instance itself; drop it from the pool again so the stack
      // and the pool file agree. This runs even when the update was cancelled (no signal).
      try {
        await this.remove(instance.name);
      } catch (cleanup) {
        throw new CleanupFailed(instance.name, error, cleanup);
      }
      throw error;
    }
  }

  remove(name: string): Promise<void> {
    return withPoolLock(this.home, this.name, async () => {
      const rest = this.record().instances.filter((i) => i.name !== name);
      const target = this.adapter.target(rest);
      if (rest.length === 0)
        await destroy(target, { ...this.run(), remove: this.adapter.removeStackWhenEmpty });
      else await up(target, this.run());
      // Read again: claims and active runs of the other instances may have changed meanwhile.
      const latest = this.record();
      writePool(this.home, { ...latest, instances: latest.instances.filter((i) => i.name !== name) });
    });
  }

  async vanished(): Promise<PoolInstance[]> {
    const complete = this.record().instances.filter(
      (i) => i.ssh_port !== undefined && i.creator === undefined,
    );
    if (complete.length === 0) return [];
    const missing = new Set(await this.adapter.missing(complete));
    return complete.filter((i) => missing.has(i.name));
  }
}
