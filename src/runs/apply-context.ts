// What `apply` and the detached retrying (resume-apply.ts) both start from: the runnable spec, the local
// backend's settings (zones, faults), the client key, the pool context, and the matched offers from
// which each pass of the failover loop plans its attempts afresh.
import { matchOffers } from "../catalog/match.js";
import type { MatchedOffer } from "../catalog/offer.js";
import { loadOffers } from "../catalog/offers.js";
import { requirementsOf } from "../catalog/requirements.js";
import { formatResources } from "../compiler/format.js";
import type { DevEnvironmentSpec, RunSpec, TaskSpec } from "../compiler/spec.js";
import { UserError } from "../errors.js";
import { planAttempts, type Attempt } from "../planner/attempt-plan.js";
import { ensureClientKey, type ClientKey } from "../ssh/keys.js";
import type { PoolContext } from "./local-pool.js";
import { localSettings } from "./local-settings.js";

/** The backends `apply` can provision on today; the cloud backends join with their stacks. */
const PROVISIONABLE: ReadonlySet<string> = new Set(["local"]);

export interface ApplyContext {
  spec: DevEnvironmentSpec | TaskSpec;
  /** The spec as JSON with secrets redacted: what run records keep. */
  redacted: Record<string, unknown>;
  keys: ClientKey;
  pool: PoolContext;
  requirements: string;
  matched: MatchedOffer[];
  provisionable: MatchedOffer[];
  /** The attempts of one pass: every zone of an offer, cheapest offer first (spot first for auto). */
  planNow: () => Attempt[];
}

function runnable(spec: RunSpec): DevEnvironmentSpec | TaskSpec {
  if (spec.type === "service")
    throw new UserError(
      "unsupported",
      "services are parsed and validated, but `apply` does not run them yet",
      "run it as a task for now",
    );
  return spec;
}

export function applyContext(input: { spec: RunSpec; pool: Omit<PoolContext, "publicKey"> }): ApplyContext {
  const spec = runnable(input.spec);
  const home = input.pool.home;
  const settings = localSettings(home);
  const keys = ensureClientKey(home);
  const requirements = requirementsOf(spec);
  const matched = matchOffers(
    loadOffers({ backends: requirements.backends, home, localZones: settings.zones }).offers,
    requirements,
  );
  const provisionable = matched.filter((o) => PROVISIONABLE.has(o.backend));
  return {
    spec,
    redacted: JSON.parse(JSON.stringify(spec)) as Record<string, unknown>,
    keys,
    pool: { ...input.pool, publicKey: keys.publicKey, faults: settings.faults },
    requirements: formatResources(requirements.resources),
    matched,
    provisionable,
    planNow: () => planAttempts(provisionable, { spotPolicy: spec.spot_policy }),
  };
}
