// apply's callbacks (runs and fleets alike) as messages of the session's host: the offers, the
// infrastructure diff, the progress lines, and the provisioning states as structured data.
import type { MatchedOffer } from "../catalog/offer.js";
import { planCostJson, planCostText, type PlanCost } from "../catalog/plan-cost.js";
import { attemptJson } from "../planner/attempt-plan.js";
import type { ProvisionState } from "../provisioning/provision.js";
import type { IoHost } from "./io-host.js";

/** Both ApplyUi (runs) and FleetApplyUi (fleets). */
export interface SessionUi {
  offers(matched: readonly MatchedOffer[]): void;
  plan(text: string): void;
  cost(cost: PlanCost): void;
  confirm(question: string): Promise<boolean>;
  progress(line: string): void;
  state(state: ProvisionState): void;
}

/** `renderOffers`: the offers table the host shows (the CLI's; the toolkit renders no tables). */
export function sessionUi(io: IoHost, renderOffers: (matched: readonly MatchedOffer[]) => string): SessionUi {
  return {
    offers: (matched) =>
      io.notify(
        matched.length === 0
          ? { code: "plan.offers", level: "warn", text: "No offers.", data: { count: 0 } }
          : {
              code: "plan.offers",
              level: "info",
              text: renderOffers(matched),
              data: { count: matched.length },
            },
      ),
    plan: (text) => io.notify({ code: "plan.diff", level: "info", text }),
    cost: (cost) =>
      io.notify({ code: "plan.cost", level: "info", text: planCostText(cost), data: planCostJson(cost) }),
    confirm: (question) => io.confirm(question),
    progress: (line) => io.notify({ code: "provision.progress", level: "info", text: line }),
    state: (state) =>
      io.notify(
        state.kind === "attempting"
          ? {
              code: "provision.attempt",
              level: "debug",
              text: `attempt ${state.attempts} (pass ${state.pass}): ${state.attempt.backend} ${state.attempt.region} ${state.attempt.zone ?? ""}`.trimEnd(),
              data: { pass: state.pass, attempts: state.attempts, attempt: attemptJson(state.attempt) },
            }
          : {
              code: "provision.wait",
              level: "debug",
              text: `waiting for capacity until ${new Date(state.nextTryAt).toISOString()}`,
              data: {
                pass: state.pass,
                attempts: state.attempts,
                next_try_at: new Date(state.nextTryAt).toISOString(),
                reason: state.reason,
              },
            },
      ),
  };
}
