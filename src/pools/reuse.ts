// Instance reuse (dstack pools): a run goes to an idle instance of its pool (`--pool`, else the default
// pool, plus every fleet's) whose offer it matches, with no infrastructure change. The check and the claim happen under the pool's lock, so two applies
// (or an apply and the reaper) never take the same instance; the claim keeps the reaper away until
// the run is placed.
import type { MatchedOffer } from "../catalog/offer.js";
import type { InstanceSelector } from "../compiler/spec.js";
import { AgentSession, isActive, isBuilding } from "../runs/agent-session.js";
import { addressOf, type InstanceAddress } from "./pool.js";
import { defaultPoolName, poolNameOf } from "./named-pools.js";
import { withPoolLock } from "./pool-lock.js";
import { listPools, readPool, updatePoolInstance, type PoolInstance, type PoolRecord } from "./pool-store.js";

/** Whether the instance was made from one of the offers the run matches (local ones always fit theirs). */
export function fittingOffer(
  pool: PoolRecord,
  instance: PoolInstance,
  matched: readonly MatchedOffer[],
): MatchedOffer | undefined {
  const backend = pool.backend ?? "local";
  return matched.find(
    (o) =>
      o.backend === backend &&
      (pool.region === undefined || o.region === pool.region) &&
      (instance.instance_type === undefined || o.instance_type === instance.instance_type) &&
      (instance.spot === undefined || o.spot === instance.spot),
  );
}

/**
 * An idle instance claimed for a run, with the offer it was made from and the open session to its agent
 * that checked it (the submission goes on with it: no second SSH handshake). The caller closes it.
 */
export type IdleInstance = InstanceAddress & { offer: MatchedOffer; session: AgentSession };

export const CLAIM_MS = 2 * 60_000;

/**
 * Whether an `instances` entry names the instance: by its name, by its host (dstack's `hostname`, for
 * SSH fleets' hosts), or as `{fleet, instance: N}`, the fleet's node N (named `<fleet>-<N>` here).
 */
export function selects(selector: InstanceSelector, pool: PoolRecord, instance: PoolInstance): boolean {
  if ("name" in selector) return selector.name === instance.name;
  if ("hostname" in selector) return selector.hostname === instance.host;
  return (
    pool.fleet === selector.fleet.name && instance.name === `${selector.fleet.name}-${selector.instance}`
  );
}

async function claimIfIdle(
  home: string,
  pool: string,
  name: string,
  privateKey: string,
  idleDuration: number | "off",
): Promise<{ address: InstanceAddress; session: AgentSession } | undefined> {
  return withPoolLock(home, pool, async () => {
    // Read under the lock: another apply may have claimed it, or the reaper removed it, meanwhile.
    const instance = readPool(home, pool).instances.find((i) => i.name === name);
    const address =
      instance === undefined || instance.creator !== undefined ? undefined : addressOf(pool, instance);
    if (instance === undefined || address === undefined) return undefined;
    // Claimed by a placement under way (a claim older than the reaper's window is a crashed one's).
    if (instance.claimed_at !== undefined && Date.now() - Date.parse(instance.claimed_at) < CLAIM_MS)
      return undefined;
    const session = await AgentSession.open(address, privateKey, 1).catch(() => undefined);
    if (session === undefined) return undefined;
    // A build under way (dstack build) holds the instance as a run does.
    const busy = await Promise.all([session.runs(), session.builds()])
      .then(([runs, builds]) => runs.some(isActive) || builds.some(isBuilding))
      .catch(() => true);
    if (busy) {
      session.close();
      return undefined;
    }
    try {
      // A fleet's instances keep the fleet's idle_duration, and one added in advance its own; a run's
      // own instances take the new run's.
      const kept = readPool(home, pool).fleet !== undefined || instance.pinned_idle_duration === true;
      updatePoolInstance(home, pool, name, {
        claimed_at: new Date().toISOString(),
        idle_since: undefined,
        ...(kept ? {} : { idle_duration: idleDuration }),
      });
      await session.claim(kept ? undefined : idleDuration);
    } catch (error) {
      session.close();
      throw error;
    }
    return { address, session };
  });
}

export async function findIdleInstance(
  home: string,
  matched: readonly MatchedOffer[],
  privateKey: string,
  /** The new run's idle_duration: it governs the instance once this run ends (not a fleet's instance). */
  idleDuration: number | "off",
  /** `fleets: [NAME]`: only the instances of these fleets. */
  fleets: readonly string[] | null = null,
  /** `instances: [...]`: only these instances. */
  instances: readonly InstanceSelector[] | null = null,
  /** `pool_name` (`--pool`): only that pool's instances; null: the default pool's and every fleet's. */
  poolName: string | null = null,
  /** The cloud volumes the run mounts: only an instance they are attached to can take it. */
  volumes: readonly string[] = [],
): Promise<IdleInstance | undefined> {
  const target = poolName ?? defaultPoolName(home);
  const inPool = (pool: PoolRecord, instance: PoolInstance): boolean =>
    fleets !== null
      ? pool.fleet !== undefined && fleets.includes(pool.fleet)
      : poolNameOf(pool, instance) === target || (poolName === null && pool.fleet !== undefined);
  // Cheapest first: the instance's price, as the offers are ordered.
  const candidates = listPools(home)
    .flatMap((pool) =>
      pool.instances.flatMap((instance) => {
        // An instance named with `instances` is taken from whichever pool holds it.
        if (!(instances !== null && fleets === null) && !inPool(pool, instance)) return [];
        if (instances !== null && !instances.some((s) => selects(s, pool, instance))) return [];
        if (!volumes.every((v) => instance.spec?.volumes.includes(v) === true)) return [];
        const offer = fittingOffer(pool, instance, matched);
        return offer === undefined ? [] : [{ pool, instance, offer }];
      }),
    )
    .sort((a, b) => a.offer.price - b.offer.price);
  for (const { pool, instance, offer } of candidates) {
    const claimed = await claimIfIdle(home, pool.name, instance.name, privateKey, idleDuration);
    if (claimed !== undefined) return { ...claimed.address, offer, session: claimed.session };
  }
  return undefined;
}
