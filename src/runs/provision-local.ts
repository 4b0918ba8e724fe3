// Provisioning a new instance of the local pool through the failover loop: every attempt adds the same
// instance in the attempt's (simulated) zone, and a failed attempt is removed again by addInstance.
import type { RetrySpec } from "../compiler/spec.js";
import type { Attempt } from "../planner/attempt-plan.js";
import { addInstance, type InstanceAddress, type PoolContext } from "./local-pool.js";
import { DEFAULT_ATTEMPT_TIMEOUT_S, type ProvisionTuning } from "./provision-tuning.js";
import { provision, type ProvisionDeps, type ProvisionPolicy, type Provisioned } from "./provision.js";
import type { PoolInstance } from "./store.js";

export interface LocalProvisionInput {
  pool: PoolContext;
  instance: Pick<PoolInstance, "name" | "idle_duration">;
  plan: () => readonly Attempt[];
  retry: RetrySpec | null;
  /** Epoch ms of the submission: `retry.duration` counts from it. */
  submittedAt: number;
  tuning?: ProvisionTuning;
  progress: (line: string) => void;
  /** The detached retrying: hand off (apply -d), follow, or resume the loop (see ProvisionPolicy). */
  onState?: ProvisionDeps<InstanceAddress>["onState"];
  handOff?: boolean;
  resume?: ProvisionPolicy["resume"];
}

export function provisionLocal(input: LocalProvisionInput): Promise<Provisioned<InstanceAddress>> {
  const { pool } = input;
  return provision(
    {
      plan: input.plan,
      attempt: (a, signal) =>
        addInstance(
          { ...pool, signal },
          { ...input.instance, zone: a.zone, created_at: new Date().toISOString() },
        ),
      progress: input.progress,
      onState: input.onState,
    },
    {
      signal: pool.signal,
      attemptTimeoutMs: input.tuning?.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_S * 1000,
      backoffScale: input.tuning?.backoffScale ?? 1,
      retry: input.retry,
      submittedAt: input.submittedAt,
      handOff: input.handOff,
      resume: input.resume,
    },
  );
}
