// Which runs an instance's agent reports active, asked over SSH: the truth a removal must respect (the
// pool file's `active_runs` is only what the reaper saw last). An instance that does not answer holds
// no run anyone can reach.
import { AgentSession, isActive } from "../runs/agent-session.js";
import { addressOf } from "./pool.js";
import type { PoolInstance } from "./pool-store.js";

export async function activeRuns(instances: readonly PoolInstance[], privateKey: string): Promise<string[]> {
  const active: string[] = [];
  for (const instance of instances) {
    const address = addressOf(instance.name, instance);
    if (address === undefined) continue;
    const session = await AgentSession.open(address, privateKey, 1).catch(() => undefined);
    if (session === undefined) continue;
    try {
      const runs = await session.runs().catch(() => []);
      active.push(...runs.filter(isActive).map((r) => r.name));
    } finally {
      session.close();
    }
  }
  return active;
}
