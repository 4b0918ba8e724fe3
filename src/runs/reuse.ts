// Instance reuse (dstack pools): a run goes to an instance of the pool that has no active run, with no
// infrastructure change. The instance is claimed first so the reaper does not tear it down meanwhile.
import { AgentSession, isActive } from "./agent-session.js";
import { LOCAL_POOL, updatePoolInstance, type InstanceAddress, type PoolContext } from "./local-pool.js";
import { readPool } from "./store.js";

export async function findIdleInstance(
  ctx: PoolContext,
  privateKey: string,
  /** The new run's idle_duration: it governs the instance once this run ends. */
  idleDuration: number | "off",
): Promise<InstanceAddress | undefined> {
  for (const instance of readPool(ctx.home, LOCAL_POOL).instances) {
    if (instance.ssh_port === undefined) continue;
    const session = await AgentSession.open(instance.ssh_port, privateKey, 1).catch(() => undefined);
    if (session === undefined) continue;
    try {
      const runs = await session.runs();
      if (runs.some(isActive)) continue;
      updatePoolInstance(ctx.home, instance.name, {
        claimed_at: new Date().toISOString(),
        idle_since: undefined,
        idle_duration: idleDuration,
      });
      return { name: instance.name, sshPort: instance.ssh_port, zone: instance.zone ?? null };
    } catch {
      continue;
    } finally {
      session.close();
    }
  }
  return undefined;
}
