// `dstack build` as a library: the image of a configuration's `build` commands, made through the same
// pipeline as a run: the configuration's offers, an idle instance of its pool reused or a new one
// provisioned (diff, confirmation, failover, retry), then the build on that instance's agent
// (submit-build.ts). The instance is then idle, and reaped after its idle_duration like a run's.
import type { MatchedOffer } from "../catalog/offer.js";
import type { PlanCost } from "../catalog/plan-cost.js";
import type { DevEnvironmentSpec, TaskSpec } from "../compiler/spec.js";
import { renderPlan, type Plan } from "../engine/plan.js";
import type { PrebuiltTarget } from "../build/prebuilt-target.js";
import type { InstanceAddress } from "../pools/pool.js";
import type { PoolSet } from "../pools/pool-set.js";
import { updatePoolInstance } from "../pools/pool-store.js";
import { instanceName, provisionInstance } from "../pools/provision-instance.js";
import { poolForNewInstances } from "../pools/named-pools.js";
import { findIdleInstance } from "../pools/reuse.js";
import type { ProvisionTuning } from "../provisioning/provision-tuning.js";
import { applyContext } from "./apply-context.js";
import { noOffer, type ApplyUi } from "./apply.js";
import { checkLocalPaths } from "./code-upload.js";
import { checkFleets, mayCreate, noIdleInstance } from "./fleet-placement.js";
import { instanceToken } from "./names.js";
import { runPlanCost } from "./run-cost.js";
import { submitBuild, type BuildUi, type BuiltImage } from "./submit-build.js";

export interface BuildImageInput {
  spec: DevEnvironmentSpec | TaskSpec;
  target: PrebuiltTarget;
  labels: Record<string, string>;
  configFile: string;
  repoDir: string;
  pools: PoolSet;
  ui: ApplyUi & BuildUi;
  signal?: AbortSignal;
  dryRun?: boolean;
  tuning?: ProvisionTuning;
}

export type BuildImageResult =
  | { kind: "built"; image: BuiltImage; reused: string | null; plan: Plan; cost: PlanCost }
  | { kind: "declined" }
  | { kind: "dry-run"; plan: Plan; cost: PlanCost };

export async function buildImage(input: BuildImageInput): Promise<BuildImageResult> {
  const submittedAt = Date.now();
  const ctx = applyContext({ spec: input.spec, pools: input.pools });
  const { spec, keys, matched } = ctx;
  const home = input.pools.home;
  checkLocalPaths({ spec, repoDir: input.repoDir, configFile: input.configFile });
  input.ui.offers(matched, ctx.requirements);
  const attempts = ctx.planNow();
  const first = attempts[0];
  if (first === undefined) throw noOffer(ctx);

  checkFleets(home, spec.fleets);
  const poolName = poolForNewInstances(home, spec.pool_name);
  const idle = await findIdleInstance(
    home,
    ctx.provisionable,
    keys.privateKey,
    spec.idle_duration,
    spec.fleets,
    spec.instances,
    spec.pool_name,
    ctx.placement?.volumes.map((v) => v.name),
  );
  if (idle === undefined && !mayCreate(spec)) throw noIdleInstance(home, spec, ctx.requirements);
  const release = (address: Pick<InstanceAddress, "pool" | "name">): void =>
    updatePoolInstance(home, address.pool, address.name, { claimed_at: undefined });
  try {
    const token = instanceToken();
    const limits = {
      idle_duration: spec.idle_duration,
      max_price: spec.max_price,
      reservation: spec.reservation,
      pool_name: poolName,
      ...(ctx.placement === undefined ? {} : { volumes: ctx.placement.volumes }),
    };
    const plan: Plan =
      idle !== undefined
        ? { steps: [], unchanged: 1 }
        : await input.pools
            .forAttempt(first)
            .preview({ ...limits, name: instanceName(first.backend, token), attempt: first }, input.signal);
    input.ui.plan(
      idle !== undefined
        ? `Reusing idle instance ${idle.name}: no infrastructure changes.`
        : renderPlan(plan),
    );
    const priced = { home, idleDuration: spec.idle_duration, reused: idle };
    const cost = runPlanCost({ ...priced, offer: first.offer, alternatives: attempts.map((a) => a.offer) });
    input.ui.cost?.(cost);
    if (input.dryRun === true || !(await input.ui.confirm(`Build ${input.target.ref}?`))) {
      if (idle !== undefined) release(idle);
      return input.dryRun === true ? { kind: "dry-run", plan, cost } : { kind: "declined" };
    }
    let address: InstanceAddress;
    let placed: MatchedOffer = idle?.offer ?? first.offer;
    if (idle !== undefined) address = idle;
    else {
      input.ui.progress(`Provisioning instance ${instanceName(first.backend, token)}...`);
      const provisioned = await provisionInstance({
        pools: input.pools,
        token,
        instance: limits,
        plan: ctx.planNow,
        retry: spec.retry,
        submittedAt,
        tuning: input.tuning,
        signal: input.signal,
        subject: `the image ${input.target.ref} was not built`,
        progress: (line) => input.ui.progress(line),
        onState: (state) => input.ui.state?.(state),
      });
      address = provisioned.value;
      placed = provisioned.attempt.offer;
    }
    try {
      const image = await submitBuild({
        spec,
        target: input.target,
        labels: input.labels,
        address,
        privateKey: keys.privateKey,
        ...(idle === undefined ? {} : { session: idle.session }),
        repoDir: input.repoDir,
        configFile: input.configFile,
        ui: input.ui,
        signal: input.signal,
      });
      const landed = placed === first.offer ? cost : runPlanCost({ ...priced, offer: placed });
      return { kind: "built", image, reused: idle?.name ?? null, plan, cost: landed };
    } finally {
      // Built or not, the instance is idle now: the next run may take it, the reaper counts from here.
      release(address);
    }
  } finally {
    idle?.session.close();
  }
}
