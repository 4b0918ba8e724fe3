// Submitting a run to the agent of the instance it was placed on: the job spec, the repository upload,
// waiting until it is reachable, then the run record and the SSH entry. Shared by `apply` and by the
// detached retrying, which submits exactly as `apply` would once capacity appears.
import type { MatchedOffer } from "../catalog/offer.js";
import { formatResources } from "../compiler/format.js";
import { UserError } from "../errors.js";
import type { RunView } from "../runtime-agent/run-view.js";
import { ensureSshInclude, upsertRunSshEntry } from "../ssh/ssh-config.js";
import { AgentSession } from "./agent-session.js";
import type { ApplyContext } from "./apply-context.js";
import type { ApplyUi } from "./apply.js";
import { buildJobSpec, type PrebuiltImageRef } from "./job-spec.js";
import type { InstanceAddress } from "../pools/pool.js";
import { readPool, updatePoolInstance } from "../pools/pool-store.js";
import { createCodeUpload } from "./code-upload.js";
import { cancelled } from "../provisioning/cancelled.js";
import { throwRunFailure, waitStarted } from "./run-start.js";
import { writeRun, type RunRecord } from "./store.js";
import { shareWithTeam } from "./team-keys.js";
import { currentOwner, type Owner } from "../home/owner.js";
import { runVolumeName, volumeDevices } from "../volumes/run-volumes.js";

export interface SubmitInput {
  ctx: ApplyContext;
  name: string;
  address: InstanceAddress;
  placed: MatchedOffer;
  /** Whether the instance was just created (else an idle one was reused). */
  created: boolean;
  repoDir: string;
  configFile: string;
  baseImages: readonly string[];
  /** The prebuilt image of the spec's `build` (found or built before the plan): the run's image. */
  image?: PrebuiltImageRef;
  /**
   * An open session to the instance's agent (the idle instance's claim): used while still fresh, and
   * closed here like one this opens.
   */
  session?: AgentSession;
  ui: Pick<ApplyUi, "progress">;
  /** The user's Ctrl-C: once the instance is up, a cancelled submission gives it back. */
  signal?: AbortSignal;
  /** A resubmission (after an interruption or an error): the count the new run record keeps. */
  resubmissions?: number;
  /** Whose run it is (a resubmission keeps its submitter's); default: this user. */
  owner?: Owner;
  /** What the resubmission follows. */
  resubmittedAfter?: "interruption" | "error";
  /** An error resubmission: the first submission, which retry.duration counts from. */
  firstSubmittedAt?: string;
}

export async function submitRun(input: SubmitInput): Promise<{ run: RunRecord; view: RunView }> {
  const { ctx, name, address, placed } = input;
  const { spec, keys, pools } = ctx;
  const home = pools.home;
  if (input.signal?.aborted === true) {
    // Cancelled once the instance was up: nothing ran on it, so a new one goes away again at once.
    if (input.created) await pools.byName(address.pool)?.remove(address.name);
    else updatePoolInstance(home, address.pool, address.name, { claimed_at: undefined });
    throw cancelled(`the run ${name} was not submitted`);
  }
  // The archive (git and tar processes) is made while the SSH connection is set up.
  const archiving = createCodeUpload({ spec, repoDir: input.repoDir, configFile: input.configFile });
  archiving.catch(() => undefined); // awaited below; a failed connection must not leave it unhandled
  const handedOn = input.session?.fresh === true ? input.session : undefined;
  if (handedOn === undefined) input.session?.close();
  // A handed-on session's agent has just answered; a new one's may still be starting.
  const session = handedOn ?? (await AgentSession.open(address, keys.privateKey));
  try {
    if (handedOn === undefined) await session.waitHealthy();
    // A shared backend's members may reach (ps, stop, logs) what runs here: their keys go on the instance.
    await shareWithTeam(home, session, keys.publicKey).catch((error: unknown) =>
      input.ui.progress(`could not authorize the team's keys on ${address.name}: ${String(error)}`),
    );
    const built = buildJobSpec(spec, {
      runName: name,
      repoId: (await archiving).repoId,
      sshAuthorizedKeys: [keys.publicKey],
      gpus: placed.gpu_count,
      availableBaseImages: input.baseImages,
      ...(input.image === undefined ? {} : { prebuiltImage: input.image }),
      volumeName: runVolumeName(home),
      volumeDevices: volumeDevices(
        placed.backend,
        readPool(home, address.pool).instances.find((i) => i.name === address.name),
      ),
    });
    if ("error" in built) throw new UserError("job-spec", built.error, built.hint);
    const repo = await archiving;
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
      backend: placed.backend,
      pool: address.pool,
      instance: address.name,
      region: placed.region,
      zone: address.zone,
      instance_host: address.host,
      instance_ssh_port: address.port,
      instance_ssh_user: address.user,
      run_ssh_port: view.ssh_port,
      resources: formatResources(spec.resources),
      instance_type: placed.instance_type,
      spot: placed.spot,
      price: placed.price,
      submitted_at: new Date().toISOString(),
      config_file: input.configFile,
      spec: ctx.redacted,
      ports: spec.ports,
      repo_dir: input.repoDir,
      ...(input.resubmissions === undefined ? {} : { resubmissions: input.resubmissions }),
      ...(input.resubmittedAfter === undefined ? {} : { resubmitted_after: input.resubmittedAfter }),
      ...(input.firstSubmittedAt === undefined ? {} : { first_submitted_at: input.firstSubmittedAt }),
      owner: input.owner ?? currentOwner(),
    };
    writeRun(home, run);
    const pooled = readPool(home, address.pool).instances.find((i) => i.name === address.name);
    updatePoolInstance(home, address.pool, address.name, {
      active_runs: [...(pooled?.active_runs ?? []), name],
    });
    upsertRunSshEntry(home, {
      run: name,
      instanceHost: address.host,
      instancePort: address.port,
      instanceUser: address.user,
      runPort: view.ssh_port,
      user: "root",
      identityFile: keys.privateKeyPath,
    });
    ensureSshInclude(home);
    return { run, view };
  } finally {
    session.close();
    // The claim only guards the placement; from here the run (or its absence) tells the reaper.
    updatePoolInstance(home, address.pool, address.name, { claimed_at: undefined });
  }
}
