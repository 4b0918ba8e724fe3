// The operations behind the HTTP API: submit, upload the repo, stop, update limits, logs, status.
import { rmSync } from "node:fs";
import type { Readable } from "node:stream";
import { Builder } from "./builder.js";
import { finish, save, type AgentContext } from "./context.js";
import { HttpError } from "./http-util.js";
import { prepareImage, startContainer } from "./launch.js";
import { errorText, log } from "./log.js";
import { workflowDir } from "./paths.js";
import { extractTar } from "./repo.js";
import { runView, type RunView } from "./run-view.js";
import { watchSshReady } from "./ssh-ready.js";
import type { JobSpec } from "./spec.js";
import { allocateSshPort, isFinished, type RunRecord } from "./state.js";
import { stopRun } from "./supervise.js";

export class Agent {
  private readonly imageReady = new Set<string>();
  private readonly starting = new Set<string>();

  readonly builder: Builder;

  constructor(readonly ctx: AgentContext) {
    this.builder = new Builder(ctx);
  }

  run(name: string): RunRecord {
    const r = this.ctx.state.runs[name];
    if (!r) throw new HttpError(404, "run_not_found", `no run named ${name}`);
    return r;
  }

  view(name: string): RunView {
    return runView(this.run(name), this.ctx.now());
  }

  list(): RunView[] {
    return Object.values(this.ctx.state.runs).map((r) => runView(r, this.ctx.now()));
  }

  /** A name whose run has ended may be submitted again: the old container and files are removed. */
  async submit(spec: JobSpec): Promise<RunView> {
    const old = this.ctx.state.runs[spec.name];
    if (old && !isFinished(old.status))
      throw new HttpError(409, "run_exists", `run ${spec.name} is ${old.status}`);
    if (old?.container_id) await this.ctx.docker.remove(old.container_id);
    rmSync(workflowDir(this.ctx.config, spec.name, "agent"), { recursive: true, force: true });
    const { registry_auth: auth, ...stored } = spec;
    const r: RunRecord = {
      spec: stored,
      status: "pending",
      exit_code: null,
      stop_reason: null,
      message: null,
      container_id: null,
      ssh_port: allocateSshPort(this.ctx.state, this.ctx.config.ssh_port_base),
      ssh_ready: false,
      repo_uploaded: false,
      submitted_at: this.ctx.now(),
      started_at: null,
      finished_at: null,
      connections: {},
      last_active_at: null,
    };
    this.ctx.state.runs[spec.name] = r;
    this.imageReady.delete(spec.name);
    save(this.ctx);
    log(`run ${spec.name}: submitted (${spec.kind}, image ${spec.image}, sshd port ${r.ssh_port})`);
    this.guard(r, async () => {
      if (!(await prepareImage(this.ctx, r, auth))) return;
      this.imageReady.add(spec.name);
      if (r.status === "pulling") r.status = "pending";
      await this.maybeStart(r);
    });
    return runView(r, this.ctx.now());
  }

  async uploadRepo(name: string, body: Readable, gzip: boolean): Promise<RunView> {
    const r = this.run(name);
    if (r.container_id || isFinished(r.status)) {
      throw new HttpError(
        409,
        "run_started",
        `run ${name} is ${r.status}; the repo must come before the start`,
      );
    }
    await extractTar(body, workflowDir(this.ctx.config, name, "agent"), gzip).catch((err: unknown) => {
      throw new HttpError(400, "bad_archive", errorText(err));
    });
    r.repo_uploaded = true;
    save(this.ctx);
    log(`run ${name}: repo extracted`);
    this.guard(r, () => this.maybeStart(r));
    return runView(r, this.ctx.now());
  }

  async stop(name: string): Promise<RunView> {
    const r = this.run(name);
    if (!isFinished(r.status)) await stopRun(this.ctx, r, "stopped_by_user");
    return runView(r, this.ctx.now());
  }

  /** In place, without a restart: the limits are read on every supervision tick. */
  update(
    name: string,
    patch: { inactivity_duration?: number | null; max_duration?: number | null },
  ): RunView {
    const r = this.run(name);
    if (patch.inactivity_duration !== undefined) r.spec.inactivity_duration = patch.inactivity_duration;
    if (patch.max_duration !== undefined) r.spec.max_duration = patch.max_duration;
    save(this.ctx);
    log(`run ${name}: limits updated`);
    return runView(r, this.ctx.now());
  }

  async logs(name: string, since: number): Promise<{ text: string; next_offset: number }> {
    const r = this.run(name);
    const all = r.container_id ? await this.ctx.docker.logs(r.container_id) : Buffer.alloc(0);
    return { text: all.subarray(Math.min(since, all.length)).toString("utf8"), next_offset: all.length };
  }

  private async maybeStart(r: RunRecord): Promise<void> {
    const name = r.spec.name;
    if (r.status !== "pending" || !this.imageReady.has(name) || this.starting.has(name)) return;
    if (r.spec.repo_upload && !r.repo_uploaded) {
      log(`run ${name}: image ready, waiting for the repo upload`);
      return;
    }
    this.starting.add(name);
    try {
      await startContainer(this.ctx, r);
    } finally {
      this.starting.delete(name);
    }
    void watchSshReady(this.ctx, r);
  }

  /** Background work for a run: any failure ends the run with the reason instead of crashing the agent. */
  private guard(r: RunRecord, work: () => Promise<void>): void {
    work().catch((err: unknown) => {
      if (r.container_id) this.ctx.docker.remove(r.container_id).catch(() => undefined);
      finish(this.ctx, r, "failed", "error", errorText(err));
    });
  }
}
