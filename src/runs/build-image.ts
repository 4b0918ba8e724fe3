// `dstack build` as a library: the image of a configuration's `build` commands, made through the same
// pipeline as a run: the configuration's offers, an idle instance of its pool reused or a new one
// provisioned (diff, confirmation, failover, retry), then the build on that instance's agent
// (submit-build.ts). The instance is then idle, and reaped after its idle_duration like a run's.
import type { MatchedOffer } from "../catalog/offer.js";
import type { PlanCost } from "../catalog/plan-cost.js";
import type { DevEnvironmentSpec, TaskSpec } from "../compiler/spec.js";
import type { Plan } from "../engine/plan.js";
import type { PrebuiltTarget } from "../build/prebuilt-target.js";
import type { BasicCredentials } from "../build/registry-challenge.js";
import type { InstanceAddress } from "../pools/pool.js";
import type { PoolSet } from "../pools/pool-set.js";
import { updatePoolInstance } from "../pools/pool-store.js";
import { instanceName, provisionInstance } from "../pools/provision-instance.js";
import type { ProvisionTuning } from "../provisioning/provision-tuning.js";
import { applyContext } from "./apply-context.js";
import { noOffer, type ApplyUi } from "./apply.js";
import { checkLocalPaths } from "./code-upload.js";
import { findPlacement, planPlacement } from "./instance-placement.js";
import { submitBuild, type BuildUi, type BuiltImage } from "./submit-build.js";

/** Where the image of a build placed in a backend and region is pushed (a cloud's registry, or this machine's). */
export interface BuildDestinations {
  /** What must be created first for the image to have a home there (a cloud registry's plan), or undefined. */
  plan(where: MatchedOffer): Promise<string | undefined>;
  /** The image's reference there and the credentials to push it (creating that home when missing). */
  at(where: MatchedOffer): Promise<{ ref: string; auth?: BasicCredentials }>;
}

/** Every build pushes to the target's own reference (this machine's registry). */
const targetOnly = (target: PrebuiltTarget): BuildDestinations => ({
  plan: () => Promise.resolve(undefined),
  at: () => Promise.resolve({ ref: target.ref }),
});

export interface BuildImageInput {
  spec: DevEnvironmentSpec | TaskSpec;
  target: PrebuiltTarget;
  /** Default: the target's reference, wherever the build lands. */
  destinations?: BuildDestinations;
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
  | {
      kind: "built";
      image: BuiltImage;
      /** Where the build ran, and so where its image is kept. */
      placed: MatchedOffer;
      /** The credentials the image was pushed with (a cloud registry's, short-lived), to pull it with. */
      auth?: BasicCredentials;
      reused: string | null;
      plan: Plan;
      cost: PlanCost;
    }
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

  const found = await findPlacement(ctx);
  const { idle } = found;
  const release = (address: Pick<InstanceAddress, "pool" | "name">): void =>
    updatePoolInstance(home, address.pool, address.name, { claimed_at: undefined });
  try {
    const { token, limits, plan, cost, costAt } = await planPlacement({
      ctx,
      found,
      first,
      attempts,
      ui: input.ui,
      signal: input.signal,
    });
    const destinations = input.destinations ?? targetOnly(input.target);
    const home = await destinations.plan(idle?.offer ?? first.offer);
    if (home !== undefined) input.ui.plan(home);
    const what = home === undefined ? input.target.ref : `the image of key ${input.target.key.key}`;
    if (input.dryRun === true || !(await input.ui.confirm(`Build ${what}?`))) {
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
      const destination = await destinations.at(placed);
      const image = await submitBuild({
        spec,
        target: input.target,
        image: destination.ref,
        ...(destination.auth === undefined ? {} : { pushAuth: destination.auth }),
        labels: input.labels,
        address,
        privateKey: keys.privateKey,
        ...(idle === undefined ? {} : { session: idle.session }),
        repoDir: input.repoDir,
        configFile: input.configFile,
        ui: input.ui,
        signal: input.signal,
      });
      return {
        kind: "built",
        image,
        placed,
        ...(destination.auth === undefined ? {} : { auth: destination.auth }),
        reused: idle?.name ?? null,
        plan,
        cost: costAt(placed),
      };
    } finally {
      // Built or not, the instance is idle now: the next run may take it, the reaper counts from here.
      release(address);
    }
  } finally {
    idle?.session.close();
  }
}
