// `dstack apply` as a library: offers, the infrastructure plan, confirmation, provisioning (or reuse of
// an idle instance, or an in-place update), submission to the agent, repo upload, and SSH access.
import { matchOffers } from "../catalog/match.js";
import type { MatchedOffer } from "../catalog/offer.js";
import { loadOffers } from "../catalog/offers.js";
import { requirementsOf } from "../catalog/requirements.js";
import { formatResources } from "../compiler/format.js";
import type { DevEnvironmentSpec, RunSpec, TaskSpec } from "../compiler/spec.js";
import { renderPlan, type Plan } from "../engine/plan.js";
import { planAttempts, renderAttemptPlan, type Attempt } from "../planner/attempt-plan.js";
import type { ProvisionTuning } from "./provision-tuning.js";
import { provisionLocal } from "./provision-local.js";
import { localSettings } from "./local-settings.js";
import { UserError } from "../errors.js";
import type { RunView } from "../runtime-agent/run-view.js";
import { ensureClientKey } from "../ssh/keys.js";
import { ensureSshInclude, upsertRunSshEntry } from "../ssh/ssh-config.js";
import { AgentSession } from "./agent-session.js";
import { updateInPlace } from "./in-place.js";
import { cancelled, throwRunFailure, waitStarted } from "./run-start.js";
import { buildJobSpec } from "./job-spec.js";
import {
  newInstanceName,
  previewAdd,
  removeInstance,
  updatePoolInstance,
  type InstanceAddress,
  type PoolContext,
} from "./local-pool.js";
import { randomRunName } from "./names.js";
import { createRepoArchive, repoIdOf } from "./repo.js";
import { findIdleInstance } from "./reuse.js";
import { listRuns, readRun, writeRun, type RunRecord } from "./store.js";

export interface ApplyUi {
  offers(matched: readonly MatchedOffer[], requirements: string): void;
  plan(text: string): void;
  confirm(question: string): Promise<boolean>;
  progress(line: string): void;
}

export interface ApplyInput {
  spec: RunSpec;
  configFile: string;
  repoDir: string;
  pool: Omit<PoolContext, "publicKey">;
  baseImages: readonly string[];
  ui: ApplyUi;
  /** Show the plan and stop before anything changes. */
  dryRun?: boolean;
  verbose?: boolean;
  /** The per-attempt deadline and the backoff scale (provisionTuning(env)); defaults: 10m and 1. */
  tuning?: ProvisionTuning;
}

/** The backends `apply` can provision on today; the cloud backends join with their stacks. */
const PROVISIONABLE: ReadonlySet<string> = new Set(["local"]);

export type ApplyResult =
  | { kind: "submitted"; run: RunRecord; view: RunView; reused: string | null; plan: Plan }
  | { kind: "updated"; run: RunRecord; changed: string[] }
  | { kind: "declined" }
  | { kind: "dry-run"; plan: Plan; attempts: Attempt[] };

function runnable(spec: RunSpec): DevEnvironmentSpec | TaskSpec {
  if (spec.type === "service")
    throw new UserError(
      "unsupported",
      "services are parsed and validated, but `apply` does not run them yet",
      "run it as a task for now",
    );
  return spec;
}

export async function apply(input: ApplyInput): Promise<ApplyResult> {
  const spec = runnable(input.spec);
  const submittedAt = Date.now();
  const home = input.pool.home;
  const settings = localSettings(home);
  const keys = ensureClientKey(home);
  const pool: PoolContext = { ...input.pool, publicKey: keys.publicKey, faults: settings.faults };
  const redacted = JSON.parse(JSON.stringify(spec)) as Record<string, unknown>;

  const requirements = requirementsOf(spec);
  const matched = matchOffers(
    loadOffers({ backends: requirements.backends, home, localZones: settings.zones }).offers,
    requirements,
  );
  input.ui.offers(matched, formatResources(requirements.resources));
  // The order offers are tried in: every zone of an offer, cheapest offer first (spot first for auto).
  const provisionable = matched.filter((o) => PROVISIONABLE.has(o.backend));
  const planNow = (): Attempt[] => planAttempts(provisionable, { spotPolicy: spec.spot_policy });
  const attempts = planNow();
  if (input.dryRun === true || input.verbose === true) {
    const others = matched.length - provisionable.length;
    const note =
      others > 0
        ? `\n (${others} cloud offer${others === 1 ? "" : "s"} match too; provisioning on clouds arrives with the cloud backends)`
        : "";
    input.ui.plan(`Attempt order:\n${renderAttemptPlan(attempts)}${note}\n`);
  }
  const offer = provisionable[0];
  if (offer === undefined) {
    const elsewhere =
      matched.length > 0
        ? `; ${matched.length} cloud offers match, but provisioning on clouds arrives with the cloud backends`
        : "";
    throw new UserError(
      "no-offer",
      `this machine (the local backend) does not match ${formatResources(requirements.resources)}${elsewhere}`,
      "relax the resources (dstack offer -b local shows this machine), or drop a GPU requirement",
    );
  }

  const name = spec.name ?? randomRunName(new Set(listRuns(home).map((r) => r.name)));
  const existing = readRun(home, name);
  if (existing !== undefined) {
    const update = await updateInPlace(home, existing, redacted, keys.privateKey, input.ui);
    if (update !== undefined) return update;
  }

  const idle = await findIdleInstance(pool, keys.privateKey, spec.idle_duration);
  const instanceName = idle?.name ?? newInstanceName();
  const plan: Plan =
    idle !== undefined
      ? { steps: [], unchanged: 1 }
      : await previewAdd(pool, { name: instanceName, zone: attempts[0]?.zone ?? null });
  input.ui.plan(
    idle !== undefined ? `Reusing idle instance ${idle.name}: no infrastructure changes.` : renderPlan(plan),
  );
  if (input.dryRun === true) {
    if (idle !== undefined) updatePoolInstance(home, idle.name, { claimed_at: undefined });
    return { kind: "dry-run", plan, attempts };
  }
  if (!(await input.ui.confirm(`Submit the run ${name}?`))) return { kind: "declined" };

  let address: InstanceAddress;
  let placed = offer;
  if (idle !== undefined) address = idle;
  else {
    input.ui.progress(`Provisioning instance ${instanceName}...`);
    const provisioned = await provisionLocal({
      pool,
      instance: { name: instanceName, idle_duration: spec.idle_duration },
      plan: planNow,
      retry: spec.retry,
      submittedAt,
      tuning: input.tuning,
      progress: (line) => input.ui.progress(line),
    });
    address = provisioned.value;
    placed = provisioned.attempt.offer;
  }
  if (pool.signal?.aborted === true) {
    // Cancelled once the instance was up: nothing ran on it, so a new one goes away again at once.
    if (idle === undefined) await removeInstance({ ...pool, signal: undefined }, address.name);
    else updatePoolInstance(home, address.name, { claimed_at: undefined });
    throw cancelled();
  }
  const session = await AgentSession.open(address.sshPort, keys.privateKey);
  try {
    await session.waitHealthy();
    const built = buildJobSpec(spec, {
      runName: name,
      repoId: repoIdOf(input.repoDir),
      sshAuthorizedKeys: [keys.publicKey],
      gpus: placed.gpu_count,
      availableBaseImages: input.baseImages,
    });
    if ("error" in built) throw new UserError("job-spec", built.error, built.hint);
    const repo = await createRepoArchive(input.repoDir);
    input.ui.progress(`Launching ${name}...`);
    const submitted = await session.submit(built.job);
    let view: RunView;
    try {
      // The agent may fail the run at once (an image it cannot have): say so, not "upload refused".
      if (submitted.status === "failed") throwRunFailure(submitted);
      input.ui.progress(
        `Uploading the repository (${repo.files} files, ${(repo.bytes / 1024).toFixed(0)} KB)...`,
      );
      await session.uploadRepo(name, repo.archive).catch(async (error: unknown) => {
        // A refused upload usually means the run already failed (e.g. its image): report that instead.
        const current = await session.run(name);
        if (current?.status === "failed" || current?.status === "stopped") throwRunFailure(current);
        throw error;
      });
      view = await waitStarted(session, name, spec.type, input.ui);
    } catch (error) {
      // A run that never started must not hold its instance: stop it, so the instance idles and the
      // reaper tears it down after idle_duration.
      await session.stop(name).catch(() => undefined);
      throw error;
    }
    const run: RunRecord = {
      name,
      type: spec.type,
      backend: "local",
      pool: "local",
      instance: address.name,
      region: placed.region,
      zone: address.zone,
      instance_ssh_port: address.sshPort,
      run_ssh_port: view.ssh_port,
      resources: formatResources(spec.resources),
      price: placed.price,
      submitted_at: new Date().toISOString(),
      config_file: input.configFile,
      spec: redacted,
      ports: spec.ports,
    };
    writeRun(home, run);
    upsertRunSshEntry(home, {
      run: name,
      instanceHost: "127.0.0.1",
      instancePort: address.sshPort,
      runPort: view.ssh_port,
      user: "root",
      identityFile: keys.privateKeyPath,
    });
    ensureSshInclude(home);
    return { kind: "submitted", run, view, reused: idle?.name ?? null, plan };
  } finally {
    session.close();
    // The claim only guards the placement; from here the run (or its absence) tells the reaper.
    updatePoolInstance(home, address.name, { claimed_at: undefined });
  }
}
