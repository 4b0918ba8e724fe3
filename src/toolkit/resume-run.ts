// The background process `apply -d` starts when a run under `retry` found no capacity on its first pass
// (and the reaper's resubmissions): it waits until the pending record names it, carries on the failover
// loop (src/runs/resume-apply.ts), submits the run once capacity appears, and records a failure that
// happened before the loop could (compile, set-up). Whatever happens, the reaper watches what is left.
import { ownRecord } from "./own-record.js";
import type { Spec } from "../compiler/spec.js";
import { UserError } from "../errors.js";
import { baseImages, openPools } from "../pools/pools-context.js";
import { provisionTuning } from "../provisioning/provision-tuning.js";
import { readPending, removePending, updatePending, type PendingRun } from "../runs/pending-store.js";
import { resumeApply } from "../runs/resume-apply.js";
import type { RunRecord } from "../runs/store.js";
import type { Toolkit } from "./toolkit.js";
import { placedWithImage, prebuiltForRun } from "./prebuilt.js";

/** `specOf`: the configuration to run (the CLI compiles the file again from the original flags). */
export async function resumeRun(
  kit: Toolkit,
  name: string,
  specOf: (pending: PendingRun) => Spec | null,
): Promise<RunRecord | undefined> {
  const { home, env, io } = kit;
  const pending = await ownRecord(
    () => readPending(home, name),
    (p) => p.process?.pid,
  );
  if (pending === undefined) {
    io.notify({
      code: "provision.resume",
      level: "error",
      text: `no pending run ${name} names this process (${process.pid}); exiting`,
      data: { run: name, pid: process.pid, ours: false },
    });
    return undefined;
  }
  io.notify({
    code: "provision.resume",
    level: "info",
    text:
      pending.on_instance !== undefined
        ? `resubmitting ${name} on ${pending.on_instance} at ${pending.next_try_at ?? "once"} (${pending.reason}), retry until ${pending.retry_until}`
        : `retrying ${name} in the background: pass ${pending.pass + 1} at ${pending.next_try_at ?? "once"}, retry until ${pending.retry_until}`,
    data: {
      run: name,
      pid: process.pid,
      ours: true,
      pass: pending.pass + 1,
      next_try_at: pending.next_try_at,
    },
  });
  return kit.keepingReaper(async () => {
    try {
      const spec = specOf(pending);
      if (spec === null || spec.type === "fleet" || spec.type === "volume")
        throw new UserError("config", `${pending.config_file} no longer compiles to a run (see above)`);
      // A configuration with `build` starts from its prebuilt image, which `apply` found or built.
      const prebuilt = await prebuiltForRun(kit, {
        spec,
        configFile: pending.config_file,
        repoDir: pending.cwd,
        policy: "never",
        renderOffers: () => "",
      });
      const image = "image" in prebuilt ? prebuilt.image : undefined;
      const { run: record } = await resumeApply({
        spec: placedWithImage(spec, image),
        pending,
        ...(image === undefined ? {} : { image }),
        pools: openPools({ home, env, backendUrl: pending.backend_url }),
        baseImages,
        signal: kit.signal,
        tuning: provisionTuning(env),
        progress: (line) => io.notify({ code: "provision.progress", level: "info", text: line }),
      });
      io.notify({
        code: "provision.submitted",
        level: "info",
        text: `submitted ${record.name} on ${record.instance} (${record.zone ?? "no zone"})`,
        data: { run: record.name, instance: record.instance, zone: record.zone ?? null },
      });
      return record;
    } catch (error) {
      // resumeApply records its own outcome; this covers what failed before it (compile, set-up).
      if (error instanceof UserError && error.code === "cancelled") removePending(home, name);
      else if (readPending(home, name)?.status === "pending")
        updatePending(home, name, {
          status: "failed",
          reason: "error",
          trying: null,
          next_try_at: null,
          message: error instanceof Error ? error.message : String(error),
        });
      throw error;
    }
  });
}
