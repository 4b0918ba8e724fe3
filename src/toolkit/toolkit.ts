// The library session every command uses (DESIGN.md: toolkit): constructed with the user's home, the
// environment and one output host, it owns what each command used to repeat: recovery after a killed
// dstack, keeping the reaper alive while instances exist, the stop decision, the reaper loop, run
// status, logs and attachment, and the background retrying. The CLI parses flags, calls it, renders.
import type { MatchedOffer } from "../catalog/offer.js";
import type { Spec } from "../compiler/spec.js";
import { addInstance, type AddInstanceInput, type AddInstanceResult } from "../pools/add-instance.js";
import { hasInstances } from "../pools/pool-store.js";
import { baseImages, engineContext, openPools } from "../pools/pools-context.js";
import type { PoolSet } from "../pools/pool-set.js";
import type { EngineContext } from "../pools/stack-pool.js";
import type { RunView } from "../runtime-agent/run-view.js";
import { apply, type ApplyInput, type ApplyResult } from "../runs/apply.js";
import { startRetryingProcess } from "../runs/pending-process.js";
import type { PendingRun } from "../runs/pending-store.js";
import type { RunRecord } from "../runs/store.js";
import { sessionUi, type SessionUi } from "./apply-ui.js";
import type { FleetApplyResult } from "../fleets/apply-fleet.js";
import type { FleetRecord } from "../fleets/store.js";
import { applyFleetIn, resumeFleetIn, type ToolkitFleetInput } from "./fleets.js";
import { followRun, printLogs } from "./follow-run.js";
import type { IoHost } from "./io-host.js";
import { reapLoop } from "./reap-loop.js";
import { ensureReaper } from "./reaper-process.js";
import { reconcileGone } from "./reconcile.js";
import { recoverLeftovers } from "./recover-leftovers.js";
import { resumeRun } from "./resume-run.js";
import {
  buildConfiguration,
  placedWithImage,
  prebuiltForRun,
  type BuildConfigurationInput,
  type BuildOutcome,
  type BuildPolicy,
} from "./prebuilt.js";
import { deleteAnyPrebuilt, listAllPrebuilt, type PlacedImage } from "./prebuilt-images.js";
import { requireRun } from "./run-access.js";
import { runStatuses, type RunStatuses } from "./run-status.js";
import { stopRun, type StopOutcome } from "./stop-run.js";
import { unreadableRecords, unreadableWarning } from "./unreadable-records.js";
import { networkSettings } from "../generate/network-settings.js";
import { joinBackend } from "../home/members.js";
import { leftoversText, personalLeftovers } from "../home/personal-leftovers.js";
import { authorizeTeam } from "./team-keys.js";
import { ensureClientKey } from "../ssh/keys.js";
import { catalogZones } from "../volumes/known-zones.js";
import { applyVolume, type VolumeApplyInput, type VolumeApplyResult } from "../volumes/apply-volume.js";
import type { VolumeRow } from "../volumes/volume-view.js";
import { deleteVolumeIn, volumeRows, type VolumeDeleteResult } from "./volumes.js";

export interface ToolkitOptions {
  home: string;
  env: Readonly<Record<string, string | undefined>>;
  io: IoHost;
  /** The user's Ctrl-C (or the SIGTERM of `dstack stop` in a background process). */
  signal?: AbortSignal;
  /** How long `stop` waits for a retrying process to exit before killing it (default 2 minutes). */
  cancelGraceMs?: number;
}

export interface ToolkitApplyInput extends Omit<
  ApplyInput,
  "pools" | "ui" | "baseImages" | "signal" | "detachRetry" | "image"
> {
  backendUrl?: string;
  /** A configuration with `build`: whether a missing prebuilt image is built first (default: never). */
  build?: BuildPolicy;
  /** apply -d: hand a wait for capacity to a background process, which compiles these flags again. */
  detachWith?: Readonly<Record<string, unknown>>;
  renderOffers: (matched: readonly MatchedOffer[]) => string;
}

export class Toolkit {
  readonly home: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly io: IoHost;
  readonly signal: AbortSignal;
  readonly cancelGraceMs: number | undefined;

  constructor(options: ToolkitOptions) {
    this.home = options.home;
    this.env = options.env;
    this.io = options.io;
    this.signal = options.signal ?? new AbortController().signal;
    this.cancelGraceMs = options.cancelGraceMs;
  }

  /** Cleans up what a killed dstack left (half-created instances, locked stacks), saying so. */
  async recover(backendUrl?: string): Promise<void> {
    // On a shared backend, this user is one of its members: teammates' runs will authorize this key.
    joinBackend(this.home, () => ensureClientKey(this.home).publicKey, this.env);
    const leftovers = personalLeftovers(this.home, this.env);
    if (leftovers.length > 0)
      this.io.notify({
        code: "records.personal",
        level: "warn",
        text: leftoversText(leftovers),
        data: { leftovers },
      });
    const result = await recoverLeftovers({ home: this.home, env: this.env, backendUrl });
    if (result?.kind === "cleaned")
      this.io.notify({
        code: "recovery.cleaned",
        level: "warn",
        text: result.text,
        data: {
          instances: result.recovery.instances.map((i) => i.name),
          stale_locks: result.recovery.staleLocks.length,
          pending_operations: result.recovery.pendingOperations,
          postponed: result.recovery.postponed,
        },
      });
    else if (result?.kind === "failed")
      this.io.notify({
        code: "recovery.failed",
        level: "warn",
        text: result.text,
        data: { message: result.message },
      });
    // Instances that stopped themselves (or vanished) while no reaper watched: removed, said in a line.
    await reconcileGone({ home: this.home, env: this.env, io: this.io, pools: () => this.pools(backendUrl) });
  }

  /** While any pool has instances, a reaper watches them. */
  keepReaper(): void {
    if (hasInstances(this.home)) ensureReaper(this.home);
  }

  /** Runs `work`; whatever happens, an instance it left in a pool is watched by the reaper. */
  async keepingReaper<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } finally {
      this.keepReaper();
    }
  }

  /** The pools, with dstack's notes on a stack (a stale lock removed) as `stack.notice`. */
  pools(backendUrl?: string): PoolSet {
    return openPools({ home: this.home, env: this.env, backendUrl, onNotice: this.notice });
  }

  /** A fleet's pools: its state backend is the one given, or the default (a fleet records its own). */
  fleetPools(backendUrl?: string): PoolSet {
    return openPools({
      home: this.home,
      env: this.env,
      backendUrl,
      onNotice: this.notice,
      followPools: false,
    });
  }

  /** The engine context of a fleet (its stacks live outside the pools). */
  engine(backendUrl?: string): EngineContext {
    return engineContext({ home: this.home, env: this.env, backendUrl, onNotice: this.notice }, false);
  }

  private readonly notice = (line: string): void =>
    this.io.notify({ code: "stack.notice", level: "warn", text: line.trimEnd() });

  ui(renderOffers: (matched: readonly MatchedOffer[]) => string): SessionUi {
    return sessionUi(this.io, renderOffers);
  }

  /** `dstack apply` of a run: recover first, then plan, provision or reuse, submit; the reaper after. */
  async apply(input: ToolkitApplyInput): Promise<ApplyResult> {
    const { backendUrl, detachWith, renderOffers, build, ...rest } = input;
    await this.recover(backendUrl);
    // The prebuilt image first: a missing one stops here, before any offer or instance.
    const prebuilt = await this.keepingReaper(() =>
      prebuiltForRun(this, {
        spec: rest.spec,
        configFile: rest.configFile,
        repoDir: rest.repoDir,
        policy: build ?? "never",
        ...(rest.dryRun === undefined ? {} : { dryRun: rest.dryRun }),
        ...(rest.tuning === undefined ? {} : { tuning: rest.tuning }),
        renderOffers,
      }),
    );
    if ("declined" in prebuilt) return { kind: "declined" };
    const pools = this.pools(backendUrl);
    return this.keepingReaper(() =>
      apply({
        ...rest,
        spec: placedWithImage(rest.spec, prebuilt.image),
        ...(prebuilt.image === undefined ? {} : { image: prebuilt.image }),
        pools,
        baseImages,
        signal: this.signal,
        ui: this.ui(renderOffers),
        detachRetry:
          detachWith === undefined
            ? undefined
            : (pending) => startRetryingProcess(this.home, pending, detachWith, this.env),
      }),
    );
  }

  /** `dstack build`: recover first, then the build through the pipeline (or nothing); the reaper after. */
  async build(input: BuildConfigurationInput): Promise<BuildOutcome> {
    await this.recover();
    return this.keepingReaper(() => buildConfiguration(this, input));
  }

  /** `dstack ssh-key add`: the backend's members authorized on every instance this user can reach. */
  authorizeTeam(): ReturnType<typeof authorizeTeam> {
    return authorizeTeam(this);
  }

  /** `dstack build --list`: the prebuilt images of every registry the backends allow, newest first. */
  prebuiltImages(): Promise<PlacedImage[]> {
    return listAllPrebuilt(this);
  }

  /** `dstack build --delete REF`: the reference deleted. */
  deletePrebuilt(ref: string): Promise<string> {
    return deleteAnyPrebuilt(this, ref);
  }

  /** `dstack pool add`: recover first, then one idle instance through the pipeline; the reaper after. */
  async addInstance(
    input: Omit<AddInstanceInput, "pools" | "ui" | "signal"> & {
      renderOffers: (matched: readonly MatchedOffer[]) => string;
    },
  ): Promise<AddInstanceResult> {
    const { renderOffers, ...rest } = input;
    await this.recover();
    const pools = this.pools();
    return this.keepingReaper(() =>
      addInstance({ ...rest, pools, signal: this.signal, ui: this.ui(renderOffers) }),
    );
  }

  /** `dstack apply` of a fleet (cloud pool stacks). */
  applyFleet(input: ToolkitFleetInput): Promise<FleetApplyResult> {
    return applyFleetIn(this, input);
  }

  /** `dstack _provision-fleet NAME`: carry on retrying a pending fleet; undefined when it is not ours. */
  resumeFleet(name: string, specOf: (cwd: string) => Spec | null): Promise<FleetRecord | undefined> {
    return resumeFleetIn(this, name, specOf);
  }

  /** `dstack apply` of a volume: its own stack (diff, [y/n], up), or an existing one registered. */
  applyVolume(
    input: Pick<VolumeApplyInput, "spec" | "configFile" | "dryRun"> & { backendUrl?: string },
  ): Promise<VolumeApplyResult> {
    const { backendUrl, ...rest } = input;
    return applyVolume({
      ...rest,
      home: this.home,
      engine: () => this.engine(backendUrl),
      network: (backend) => networkSettings(this.home)(backend),
      knownZones: catalogZones(this.home),
      ui: this.ui(() => ""),
      signal: this.signal,
    });
  }

  /** `dstack volume delete NAME`: refused while a run uses it; a registered one is only forgotten. */
  deleteVolume(name: string): Promise<VolumeDeleteResult> {
    return deleteVolumeIn(this, name);
  }

  /** `dstack volume list`. */
  volumes(): Promise<VolumeRow[]> {
    return volumeRows(this);
  }

  /** `dstack stop NAME`: cancel a pending run, or stop (or forget) a run on its instance. */
  stop(name: string | undefined): Promise<StopOutcome> {
    return stopRun(this, name);
  }

  /** The reaper daemon's loop, until every pool is empty or `signal` aborts. False: one already runs. */
  reap(signal: AbortSignal = this.signal): Promise<boolean> {
    return reapLoop(this, signal);
  }

  /** What `dstack ps` shows of runs (recovering first, and naming records that cannot be read). */
  async runStatuses(options: { all: boolean; mine?: boolean; now?: number }): Promise<RunStatuses> {
    await this.recover();
    // A record that cannot be read is skipped by the listings and named here, never a crash.
    for (const error of unreadableRecords(this.home))
      this.io.notify({
        code: "records.unreadable",
        level: "warn",
        text: unreadableWarning(error),
        data: { error: error.code, where: error.where, message: error.message, hint: error.hint ?? null },
      });
    return runStatuses(this.home, options);
  }

  run(name: string | undefined): RunRecord {
    return requireRun(this.home, name);
  }

  /** The run's output so far, as `run.log` messages. */
  logs(name: string | undefined): Promise<void> {
    return printLogs(this.home, this.io, this.run(name));
  }

  /** Port forwards and logs until the run ends (its last view) or the user detaches (undefined). */
  attach(record: RunRecord): Promise<RunView | undefined> {
    return followRun(this.home, this.io, record, this.signal);
  }

  /** `dstack _provision NAME`: carry on retrying a pending run; undefined when it is not ours. */
  resumeRun(name: string, specOf: (pending: PendingRun) => Spec | null): Promise<RunRecord | undefined> {
    return resumeRun(this, name, specOf);
  }
}
