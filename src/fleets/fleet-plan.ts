// What `apply` of a fleet starts from: the fleet's requirements, the matched offers, and of them the
// cloud offers the attempt plan is made of. A fleet's instances live in a cloud pool stack; the local
// backend's pool holds run instances only (its instances are claimed and reaped per run), so a fleet
// that can only be had locally is refused with a clear error rather than half-supported.
import { matchOffers } from "../catalog/match.js";
import type { MatchedOffer, Offer } from "../catalog/offer.js";
import { requirementsOf } from "../catalog/requirements.js";
import { formatResources } from "../compiler/format.js";
import type { FleetSpec } from "../compiler/spec.js";
import { UserError } from "../errors.js";
import { planAttempts, type Attempt } from "../planner/attempt-plan.js";
import { isCloudBackend } from "../stacks/pool-from-spec.js";

export interface FleetPlan {
  spec: FleetSpec;
  /** The resources asked for, as `dstack offer` prints them. */
  requirements: string;
  /** Every matched offer (local included), for the offers table. */
  matched: MatchedOffer[];
  /** The cloud offers: what the attempts are made of. */
  cloud: MatchedOffer[];
  /** The attempts of one pass, planned afresh before each pass (dstack's order, at most 25). */
  planNow: () => Attempt[];
}

/** Refuses the fleets `apply` cannot provision, before any offer is looked at. */
export function checkProvisionable(spec: FleetSpec): void {
  if (spec.ssh_config !== null)
    throw new UserError(
      "unsupported",
      "SSH fleets (ssh_config) are parsed and validated, but `apply` does not provision them yet",
      "use a cloud fleet (backends: [aws], [gcp] or [azure])",
    );
  if (spec.nodes.target < 1)
    throw new UserError(
      "unsupported",
      `${spec.name === null ? "the fleet" : `fleet ${spec.name}`} has a target of 0 nodes: an elastic fleet whose instances are created by runs is not supported yet`,
      "set nodes to at least 1 (e.g. nodes: 1..4 creates one now)",
    );
}

export function fleetPlan(spec: FleetSpec, offers: readonly Offer[]): FleetPlan {
  checkProvisionable(spec);
  const requirements = requirementsOf(spec);
  const matched = matchOffers(offers, requirements);
  const cloud = matched.filter((o) => isCloudBackend(o.backend));
  const text = formatResources(requirements.resources);
  if (cloud.length === 0) {
    const local = matched.some((o) => o.backend === "local");
    throw new UserError(
      local ? "unsupported" : "no-offer",
      local
        ? `fleet offers match only the local backend, and fleets on the local backend are not supported: its pool holds the instances of runs (dstack apply of a dev environment or task)`
        : `no cloud offer matches ${text}${spec.regions === null ? "" : ` in ${spec.regions.join(", ")}`}`,
      local
        ? "allow a cloud backend (backends: [aws], -b gcp), or apply a dev environment or task to use this machine"
        : "relax the resources, regions or instance types (`dstack offer -f FILE` lists what matches)",
    );
  }
  return {
    spec,
    requirements: text,
    matched,
    cloud,
    planNow: () => planAttempts(cloud, { spotPolicy: spec.spot_policy }),
  };
}
