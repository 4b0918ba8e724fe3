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
import { buildJobSpec } from "./job-spec.js";
import { LOCAL_POOL, removeInstance, updatePoolInstance, type InstanceAddress } from "./local-pool.js";
import { createRepoArchive, repoIdOf } from "./repo.js";
import { cancelled, throwRunFailure, waitStarted } from "./run-start.js";
import { readPool, writeRun, type RunRecord } from "./store.js";

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
  ui: Pick<ApplyUi, "progress">;
  /** A resubmission (after an interruption or an error): the count the new run record keeps. */
  resubmissions?: number;
  /** What the resubmission follows. */
  resubmittedAfter?: "interruption" | "error";
  /** An error resubmission: the first submission, which retry.duration counts from. */
  firstSubmittedAt?: string;
}

export async function submitRun(input: SubmitInput): Promise<{ run: RunRecord; view: RunView }> {
  const { ctx, name, address, placed } = input;
  const { spec, keys, pool } = ctx;
  const home = pool.home;
  if (pool.signal?.aborted === true) {
    // Cancelled once the instance was up: nothing ran on it, so a new one goes away again at once.
    if (input.created) await removeInstance({ ...pool, signal: undefined }, address.name);
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
      spec: ctx.redacted,
      ports: spec.ports,
      repo_dir: input.repoDir,
      ...(input.resubmissions === undefined ? {} : { resubmissions: input.resubmissions }),
      ...(input.resubmittedAfter === undefined ? {} : { resubmitted_after: input.resubmittedAfter }),
      ...(input.firstSubmittedAt === undefined ? {} : { first_submitted_at: input.firstSubmittedAt }),
    };
    writeRun(home, run);
    const pooled = readPool(home, LOCAL_POOL).instances.find((i) => i.name === address.name);
    updatePoolInstance(home, address.name, { active_runs: [...(pooled?.active_runs ?? []), name] });
    upsertRunSshEntry(home, {
      run: name,
      instanceHost: "127.0.0.1",
      instancePort: address.sshPort,
      runPort: view.ssh_port,
      user: "root",
      identityFile: keys.privateKeyPath,
    });
    ensureSshInclude(home);
    return { run, view };
  } finally {
    session.close();
    // The claim only guards the placement; from here the run (or its absence) tells the reaper.
    updatePoolInstance(home, address.name, { claimed_at: undefined });
  }
}
