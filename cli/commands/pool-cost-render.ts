// `dstack pool add --json`: the instance added (or, with --dry-run, the plan) with what it costs.
import { planCostJson } from "../../src/catalog/plan-cost.js";
import type { AddInstanceResult } from "../../src/pools/add-instance.js";
import { attemptJson } from "../../src/planner/attempt-plan.js";

type Of<K extends AddInstanceResult["kind"]> = Extract<AddInstanceResult, { kind: K }>;

export const dryRunJson = (outcome: Of<"dry-run">): Record<string, unknown> => ({
  dry_run: true,
  plan: outcome.plan,
  attempts: outcome.attempts.map(attemptJson),
  cost: planCostJson(outcome.cost),
});

export const addedJson = (outcome: Of<"added">): Record<string, unknown> => ({
  instance: outcome.instance,
  attempt: outcome.attempt.n,
  cost: planCostJson(outcome.cost),
});
