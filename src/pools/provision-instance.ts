// Getting a new instance through the failover loop: every attempt adds the instance to the pool of the
// attempt's backend and region, on the attempt's offer and zone; a failed attempt is removed again by
// the pool, so the next attempt starts clean. The same for the local backend and every cloud.
import type { RetrySpec } from "../compiler/spec.js";
import type { Attempt } from "../planner/attempt-plan.js";
import { DEFAULT_ATTEMPT_TIMEOUT_S, type ProvisionTuning } from "../provisioning/provision-tuning.js";
import {
  provision,
  type ProvisionDeps,
  type ProvisionPolicy,
  type Provisioned,
} from "../provisioning/provision.js";
import type { InstanceAddress, NewInstance } from "./pool.js";
import type { PoolSet } from "./pool-set.js";

export interface InstanceProvisionInput {
  pools: PoolSet;
  /** The instance's token: each attempt names it `<backend>-<token>`. */
  token: string;
  /** A name the user chose (`pool add --name`), for every attempt instead of `<backend>-<token>`. */
  name?: string;
  instance: Omit<NewInstance, "name" | "attempt">;
  plan: () => readonly Attempt[];
  retry: RetrySpec | null;
  /** Epoch ms of the submission: `retry.duration` counts from it. */
  submittedAt: number;
  tuning?: ProvisionTuning;
  signal?: AbortSignal;
  progress: (line: string) => void;
  /** The detached retrying: hand off (apply -d), follow, or resume the loop (see ProvisionPolicy). */
  onState?: ProvisionDeps<InstanceAddress>["onState"];
  handOff?: boolean;
  /** What a Ctrl-C leaves undone: `the run vscode was not submitted`. */
  subject: string;
  resume?: ProvisionPolicy["resume"];
}

/** An instance's name on a backend: `local-ab12cd`, `aws-ab12cd`. */
export const instanceName = (backend: string, token: string): string => `${backend}-${token}`;

export function provisionInstance(input: InstanceProvisionInput): Promise<Provisioned<InstanceAddress>> {
  return provision(
    {
      plan: input.plan,
      attempt: (attempt, signal) =>
        input.pools
          .forAttempt(attempt)
          .add(
            { ...input.instance, name: input.name ?? instanceName(attempt.backend, input.token), attempt },
            signal,
          ),
      progress: input.progress,
      onState: input.onState,
    },
    {
      signal: input.signal,
      subject: input.subject,
      attemptTimeoutMs: input.tuning?.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_S * 1000,
      backoffScale: input.tuning?.backoffScale ?? 1,
      retry: input.retry,
      submittedAt: input.submittedAt,
      handOff: input.handOff,
      resume: input.resume,
    },
  );
}
