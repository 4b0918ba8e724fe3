// Every pool a user has, opened on demand: the local pool, and one cloud pool per backend and region.
// A pool is opened from an attempt (where to create) or from its file (what exists); callers never
// branch on the backend.
import { UserError } from "../errors.js";
import type { Attempt } from "../planner/attempt-plan.js";
import { isCloudBackend } from "../stacks/pool-from-spec.js";
import type { CloudBackend, NetworkSettings } from "../stacks/pool-spec.js";
import { cloudPool, fleetPlace } from "./cloud/cloud-pool.js";
import { LOCAL_POOL, localPool, type LocalPoolSettings } from "./local/local-pool.js";
import { listPools, type PoolRecord } from "./pool-store.js";
import type { EngineContext, StackPool } from "./stack-pool.js";

export interface PoolsContext {
  home: string;
  engine: EngineContext;
  publicKey: string;
  privateKey: string;
  /** The local pool's settings; asked only when the local pool is used (they need the local image). */
  local: () => LocalPoolSettings;
  /** A cloud pool's network settings (~/.dstack/config.yml). */
  network: (backend: CloudBackend) => NetworkSettings;
}

export class PoolSet {
  private readonly opened = new Map<string, StackPool>();

  constructor(readonly ctx: PoolsContext) {}

  get home(): string {
    return this.ctx.home;
  }

  /** The pool an attempt creates its instance in. */
  forAttempt(attempt: Pick<Attempt, "backend" | "region">): StackPool {
    return this.open(attempt.backend, attempt.region);
  }

  /** A fleet's own pool, on the backend and region of the attempt that creates (or created) it. */
  forFleet(fleet: string, attempt: Pick<Attempt, "backend" | "region">): StackPool {
    const key = `fleet:${fleet}/${attempt.backend}/${attempt.region}`;
    let pool = this.opened.get(key);
    if (pool === undefined) {
      if (!isCloudBackend(attempt.backend))
        throw new UserError(
          "unsupported-backend",
          `fleets are provisioned on clouds, not on ${attempt.backend}`,
        );
      pool = cloudPool(
        this.ctx.home,
        attempt.backend,
        attempt.region,
        this.ctx.engine,
        this.cloudSettings(attempt.backend),
        fleetPlace(fleet),
      );
      this.opened.set(key, pool);
    }
    return pool;
  }

  /** The pool a file describes (a local pool file written before clouds ran runs names no backend). */
  forRecord(record: PoolRecord): StackPool {
    if (record.name === LOCAL_POOL) return this.open("local", "local");
    if (record.backend === undefined || record.region === undefined)
      throw new Error(`pool file ${record.name} names no backend and region`);
    if (record.fleet !== undefined)
      return this.forFleet(record.fleet, {
        backend: record.backend as Attempt["backend"],
        region: record.region,
      });
    return this.open(record.backend, record.region);
  }

  byName(name: string): StackPool | undefined {
    const record = listPools(this.home).find((p) => p.name === name);
    return record === undefined ? undefined : this.forRecord(record);
  }

  /** Every pool that has a file with instances. */
  withInstances(): StackPool[] {
    return listPools(this.home)
      .filter((p) => p.instances.length > 0)
      .map((p) => this.forRecord(p));
  }

  private open(backend: string, region: string): StackPool {
    const key = `${backend}/${region}`;
    let pool = this.opened.get(key);
    if (pool === undefined) {
      pool = this.make(backend, region);
      this.opened.set(key, pool);
    }
    return pool;
  }

  private make(backend: string, region: string): StackPool {
    const { ctx } = this;
    if (backend === "local") return localPool(ctx.home, ctx.engine, ctx.local());
    if (!isCloudBackend(backend))
      throw new UserError("unsupported-backend", `the ${backend} backend has no pool here`);
    return cloudPool(ctx.home, backend, region, ctx.engine, this.cloudSettings(backend));
  }

  private cloudSettings(backend: CloudBackend) {
    return {
      network: this.ctx.network(backend),
      sshPublicKeys: [this.ctx.publicKey],
      privateKey: this.ctx.privateKey,
    };
  }
}
