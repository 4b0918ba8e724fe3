// A pool as one Pulumi stack whose program holds one instance per entry of the pool file. Adding or
// removing an instance is an `up` of that stack with the new list, so the engine computes the diff and
// the state records exactly what exists. Local and cloud pools differ only in their adapter: the
// program, how outputs name an address, and how to ask the backend what still exists.
import { clearPendingOperations, destroy, preview, up, type StackTarget } from "../engine/stack-runner.js";
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
  private_ip?: string;
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
  /** The fleet whose pool this is, written into the pool's record. */
  readonly fleet?: string;
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
      created_idle_duration: instance.idle_duration,
      ...(instance.pool_name === undefined ? {} : { pool_name: instance.pool_name }),
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
    return this.previewAll([instance], signal);
  }

  /** The diff of adding every one of the instances in one update (a fleet's nodes). */
  previewAll(instances: readonly NewInstance[], signal?: AbortSignal): Promise<Plan> {
    const wanted = [...this.record().instances, ...instances.map((i) => this.entry(i))];
    return preview(this.adapter.target(wanted), { ...this.run(), signal });
  }

  /** Creates an instance for a run: claimed, so that no other run takes it before this one is placed. */
  async add(instance: NewInstance, signal?: AbortSignal): Promise<InstanceAddress> {
    const [address] = await withPoolLock(
      this.home,
      this.name,
      () => this.addUnderLock([instance], true, signal),
      signal,
    );
    if (address === undefined) throw new Error(`the pool stack did not report instance ${instance.name}`);
    return address;
  }

  /**
   * Creates every one of the instances in one update of the pool's stack (a fleet's nodes, all on the
   * attempt's offer and zone), idle for the first run that fits; when it fails, none of them stays.
   */
  addAll(instances: readonly NewInstance[], signal?: AbortSignal): Promise<InstanceAddress[]> {
    return withPoolLock(this.home, this.name, () => this.addUnderLock(instances, false, signal), signal);
  }

  private async addUnderLock(
    instances: readonly NewInstance[],
    claim: boolean,
    signal?: AbortSignal,
  ): Promise<InstanceAddress[]> {
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
    const claimedAt = new Date().toISOString();
    const entries: PoolInstance[] = instances.map((i) => ({
      ...this.entry(i),
      ...(claim ? { claimed_at: claimedAt } : {}),
      creator: ownStamp(),
    }));
    // Recorded before `up`: if the update is interrupted, the next command still knows the instances
    // may exist and tears them down through the same stack.
    writePool(this.home, {
      ...pool,
      backend: this.backend,
      region: this.region,
      backend_url: this.engine.backend.url,
      ...(this.adapter.fleet === undefined ? {} : { fleet: this.adapter.fleet }),
      instances: [...pool.instances, ...entries],
    });
    try {
      const result = await up(this.adapter.target([...pool.instances, ...entries]), {
        ...this.run(),
        signal,
      });
      const reported = this.adapter.addresses(result.outputs);
      return instances.map((instance) => {
        const found = reported.find((a) => a.name === instance.name);
        if (found === undefined) throw new Error(`the pool stack did not report instance ${instance.name}`);
        updatePoolInstance(this.home, this.name, instance.name, {
          host: found.host,
          ssh_port: found.port,
          ssh_user: found.user,
          zone: found.zone,
          ...(found.id === undefined ? {} : { id: found.id }),
          ...(found.private_ip === undefined ? {} : { private_ip: found.private_ip }),
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
      });
    } catch (error) {
      // The provider removes a half-created instance itself; drop them from the pool again so the stack
      // and the pool file agree. This runs even when the update was cancelled (no signal).
      try {
        await this.removeAll(instances.map((i) => i.name));
      } catch (cleanup) {
        throw new CleanupFailed(instances.map((i) => i.name).join(", "), error, cleanup, this.leftWhere());
      }
      throw error;
    }
  }

  /**
   * An instance added in advance: the claim `add` put on it dropped (no run is being placed on it), and
   * its idle_duration pinned (a run that reuses it does not change it).
   */
  keepIdle(name: string): void {
    updatePoolInstance(this.home, this.name, name, { claimed_at: undefined, pinned_idle_duration: true });
  }

  /** Where what a failed cleanup leaves is listed, and what removes it (the local pool's says Docker). */
  private leftWhere(): string | undefined {
    if (this.backend === "local") return undefined;
    const then =
      this.adapter.fleet === undefined
        ? "the next dstack command (apply, ps, stop) removes it once this one has exited"
        : `\`dstack delete ${this.adapter.fleet}\` destroys the fleet's stack once this dstack has exited`;
    return `it stays listed in the pool ${this.name} (~/.dstack/pools/${this.name}.json); ${then}`;
  }

  remove(name: string): Promise<void> {
    return this.removeAll([name]);
  }

  /** Destroys the instances in one update of the pool's stack; the last ones take the stack with them. */
  removeAll(names: readonly string[]): Promise<void> {
    return withPoolLock(this.home, this.name, async () => {
      const gone = new Set(names);
      const rest = this.record().instances.filter((i) => !gone.has(i.name));
      for (const name of names)
        updatePoolInstance(this.home, this.name, name, { terminating_at: new Date().toISOString() });
      const target = this.adapter.target(rest);
      const change = (): Promise<unknown> =>
        rest.length === 0
          ? destroy(target, { ...this.run(), remove: this.adapter.removeStackWhenEmpty })
          : up(target, this.run());
      try {
        await change();
      } catch (error) {
        // An update cancelled mid-create may leave a pending operation the engine refuses to go past:
        // dropped (the provider's read on the next update finds what really exists), then tried once more.
        try {
          if ((await clearPendingOperations(target).catch(() => 0)) === 0) throw error;
          await change();
        } catch (again) {
          // Not removed after all: the instances are what they were before (pool ps must not say terminating).
          for (const name of names)
            updatePoolInstance(this.home, this.name, name, { terminating_at: undefined });
          throw again;
        }
      }
      // Read again: claims and active runs of the other instances may have changed meanwhile.
      const latest = this.record();
      writePool(this.home, { ...latest, instances: latest.instances.filter((i) => !gone.has(i.name)) });
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
