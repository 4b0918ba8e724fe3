// What `apply` and the detached retrying (resume-apply.ts) both start from: the runnable spec, the
// client key, the pools, and the matched offers of every configured backend from which each pass of
// the failover loop plans its attempts afresh.
import { matchOffers } from "../catalog/match.js";
import type { MatchedOffer } from "../catalog/offer.js";
import { loadOffers } from "../catalog/offers.js";
import { requirementsOf } from "../catalog/requirements.js";
import { formatResources } from "../compiler/format.js";
import type { DevEnvironmentSpec, RunSpec, TaskSpec } from "../compiler/spec.js";
import { cannotRunHere } from "./job-spec.js";
import { noSupportedBackend } from "../compiler/normalize/backends.js";
import { UserError } from "../errors.js";
import { planAttempts, type Attempt } from "../planner/attempt-plan.js";
import { configuredBackends, isConfigured } from "../pools/configured-backends.js";
import { localSettings } from "../pools/local/local-settings.js";
import type { PoolSet } from "../pools/pool-set.js";
import { ensureClientKey, type ClientKey } from "../ssh/keys.js";
import { placedOffers, type RunPlacement } from "../volumes/run-placement.js";
import { cloudVolumePlacement } from "../volumes/run-volumes.js";

export interface ApplyContext {
  spec: DevEnvironmentSpec | TaskSpec;
  /** The spec as JSON with secrets redacted: what run records keep. */
  redacted: Record<string, unknown>;
  keys: ClientKey;
  pools: PoolSet;
  requirements: string;
  matched: MatchedOffer[];
  /**
   * The matched offers of the configured backends (config.yml; only `local` without one); for a run
   * that mounts recorded cloud volumes, only those where the volumes are (`placement`).
   */
  provisionable: MatchedOffer[];
  /** Where the recorded cloud volumes the run mounts are, and what its instance attaches. */
  placement?: RunPlacement;
  /** Configured offers left out because they are not where the volumes are. */
  unplaced: number;
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
  // What the job spec cannot carry (several nodes, dstack's secrets) is refused before any instance.
  const refused = cannotRunHere(spec);
  if (refused !== undefined) throw new UserError("unsupported", refused.error, refused.hint);
  return spec;
}

export function applyContext(input: { spec: RunSpec; pools: PoolSet }): ApplyContext {
  const spec = runnable(input.spec);
  const unsupported = noSupportedBackend(spec);
  if (unsupported !== undefined)
    throw new UserError("unsupported-backend", unsupported.message, unsupported.hint);
  const home = input.pools.home;
  const settings = localSettings(home);
  const keys = ensureClientKey(home);
  const requirements = requirementsOf(spec);
  const matched = matchOffers(
    loadOffers({ backends: requirements.backends, home, localZones: settings.zones }).offers,
    requirements,
  );
  const configured = configuredBackends(home);
  const anywhere = matched.filter((o) => isConfigured(configured, o));
  // A network volume attaches only in its own zone: the instance goes there or nowhere.
  const placement = cloudVolumePlacement(home, spec);
  const provisionable = placement === undefined ? anywhere : placedOffers(anywhere, placement);
  return {
    spec,
    redacted: JSON.parse(JSON.stringify(spec)) as Record<string, unknown>,
    keys,
    pools: input.pools,
    requirements: formatResources(requirements.resources),
    matched,
    provisionable,
    ...(placement === undefined ? {} : { placement }),
    unplaced: anywhere.length - provisionable.length,
    planNow: () => planAttempts(provisionable, { spotPolicy: spec.spot_policy }),
  };
}
