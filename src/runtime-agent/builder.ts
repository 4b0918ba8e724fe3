// Image builds (PROTOCOL.md, "Builds"): a container of the base image runs the commands; when they succeed
// it is committed and pushed. Whatever the outcome the container is removed: a build never leaves one.
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { buildContainerName, buildCreateBody, buildScript, commitConfig } from "./build-config.js";
import type { BuildSpec } from "./build-spec.js";
import { save, type AgentContext } from "./context.js";
import { HttpError } from "./http-util.js";
import { ensureImage } from "./launch.js";
import { errorText, log } from "./log.js";
import { buildDir } from "./paths.js";
import { extractTar } from "./repo.js";
import { iso } from "./run-view.js";
import type { RegistryAuth } from "./spec.js";
import { isBuildFinished, type BuildRecord, type BuildStatus } from "./state.js";

/** What GET /api/builds/:name answers. */
export interface BuildView {
  name: string;
  status: BuildStatus;
  exit_code: number | null;
  message: string | null;
  log_tail: string | null;
  base_image: string;
  image: string;
  digest: string | null;
  size: number | null;
  container_id: string | null;
  repo_uploaded: boolean;
  started_at: string;
  finished_at: string | null;
}

const view = ({ spec, ...r }: BuildRecord): BuildView => ({
  name: spec.name,
  ...r,
  base_image: spec.base_image,
  image: spec.image,
  started_at: new Date(r.started_at).toISOString(),
  finished_at: iso(r.finished_at),
});

const logFile = (ctx: AgentContext, name: string): string => join(buildDir(ctx.config, name, "agent"), "log");

/** The last lines of a log, for a failed build's status. */
export function logTail(text: string, lines = 30): string {
  return text.replace(/\n$/, "").split("\n").slice(-lines).join("\n");
}

/** The end of a build (the first end wins). The script goes: it holds the build env. */
function endBuild(ctx: AgentContext, r: BuildRecord, status: "succeeded" | "failed", message: string | null) {
  if (isBuildFinished(r.status)) return;
  Object.assign(r, { status, message, finished_at: ctx.now() });
  rmSync(join(buildDir(ctx.config, r.spec.name, "agent"), "build.sh"), { force: true });
  log(`build ${r.spec.name}: ${status}${message ? `: ${message}` : ""}`);
  save(ctx);
}

/** Removes what a failed build may have left: its container, and an image committed but not pushed. */
async function cleanUp(ctx: AgentContext, r: BuildRecord): Promise<void> {
  await ctx.docker.remove(r.container_id ?? buildContainerName(ctx.config, r.spec.name));
  r.container_id = null;
  if (r.status === "committing" || r.status === "pushing") await ctx.docker.removeImage(r.spec.image);
}

/** After an agent restart: an unfinished build cannot resume (its credentials and env were in memory). */
export async function abandonBuilds(ctx: AgentContext): Promise<void> {
  for (const r of Object.values(ctx.state.builds ?? {})) {
    if (isBuildFinished(r.status)) continue;
    await cleanUp(ctx, r);
    endBuild(ctx, r, "failed", "the agent restarted during the build; build again");
  }
}

export class Builder {
  /** Credentials live in memory only, from the submission to the push. */
  private readonly auth = new Map<string, { push?: RegistryAuth; base?: RegistryAuth }>();
  /** Builds whose base image is there. */
  private readonly ready = new Set<string>();

  constructor(readonly ctx: AgentContext) {}

  private get builds(): Record<string, BuildRecord> {
    return (this.ctx.state.builds ??= {});
  }

  private get(name: string): BuildRecord {
    const r = this.builds[name];
    if (!r) throw new HttpError(404, "build_not_found", `no build named ${name}`);
    return r;
  }

  view(name: string): BuildView {
    return view(this.get(name));
  }

  list(): BuildView[] {
    return Object.values(this.builds).map(view);
  }

  /** A name whose build has ended may be submitted again: its files are replaced. */
  submit(spec: BuildSpec): BuildView {
    const old = this.builds[spec.name];
    if (old && !isBuildFinished(old.status))
      throw new HttpError(409, "build_exists", `build ${spec.name} is ${old.status}`);
    const dir = buildDir(this.ctx.config, spec.name, "agent");
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, "repo"), { recursive: true });
    const { registry_auth: push, base_registry_auth: base, ...stored } = spec;
    const r: BuildRecord = {
      spec: stored,
      status: "pending",
      exit_code: null,
      message: null,
      log_tail: null,
      container_id: null,
      repo_uploaded: false,
      digest: null,
      size: null,
      started_at: this.ctx.now(),
      finished_at: null,
    };
    this.builds[spec.name] = r;
    this.auth.set(spec.name, { push, base });
    this.ready.delete(spec.name);
    save(this.ctx);
    log(`build ${spec.name}: submitted (base ${spec.base_image}, image ${spec.image})`);
    this.guard(r, async () => {
      const why = await ensureImage(this.ctx, `build ${spec.name}`, spec.base_image, false, base, () =>
        this.set(r, "pulling"),
      );
      if (why !== null) throw new Error(why);
      this.ready.add(spec.name);
      if (r.status === "pulling") r.status = "pending";
      await this.maybeRun(r);
    });
    return view(r);
  }

  async uploadRepo(name: string, body: Readable, gzip: boolean): Promise<BuildView> {
    const r = this.get(name);
    if (!r.spec.repo_upload || (r.status !== "pending" && r.status !== "pulling"))
      throw new HttpError(409, "build_started", `build ${name} is ${r.status} and expects no repo now`);
    await extractTar(body, join(buildDir(this.ctx.config, name, "agent"), "repo"), gzip).catch(
      (err: unknown) => {
        throw new HttpError(400, "bad_archive", errorText(err));
      },
    );
    r.repo_uploaded = true;
    save(this.ctx);
    log(`build ${name}: repo extracted`);
    this.guard(r, () => this.maybeRun(r));
    return view(r);
  }

  /** The commands' output (stdout and stderr as one stream), then the agent's notes on commit and push. */
  async logs(name: string, since: number): Promise<{ text: string; next_offset: number }> {
    const r = this.get(name);
    const file = logFile(this.ctx, name);
    const all = existsSync(file)
      ? readFileSync(file)
      : r.container_id
        ? await this.ctx.docker.logs(r.container_id)
        : Buffer.alloc(0);
    return { text: all.subarray(Math.min(since, all.length)).toString("utf8"), next_offset: all.length };
  }

  private set(r: BuildRecord, status: BuildStatus): void {
    r.status = status;
    save(this.ctx);
  }

  private note(r: BuildRecord, line: string): void {
    appendFileSync(logFile(this.ctx, r.spec.name), `dstack: ${line}\n`);
  }

  private async maybeRun(r: BuildRecord): Promise<void> {
    const s = r.spec;
    if (r.status !== "pending" || !this.ready.has(s.name)) return;
    if (s.repo_upload && !r.repo_uploaded)
      return log(`build ${s.name}: image ready, waiting for the repo upload`);
    this.set(r, "building");
    const { docker, config } = this.ctx;
    const base = (await docker.inspectImage(s.base_image)).Config ?? {};
    writeFileSync(join(buildDir(config, s.name, "agent"), "build.sh"), buildScript(s), { mode: 0o644 });
    const name = buildContainerName(config, s.name);
    await docker.remove(name); // left by an agent that died mid-build
    const id = await docker.create(name, buildCreateBody(config, s));
    r.container_id = id;
    save(this.ctx);
    await docker.start(id);
    log(`build ${s.name}: container ${id.slice(0, 12)} running ${s.commands.length} command(s)`);
    const code = await docker.wait(id);
    const output = await docker.logs(id); // bytes as served while it ran: the offsets stay valid
    writeFileSync(logFile(this.ctx, s.name), output);
    r.exit_code = code;
    if (code !== 0) {
      r.log_tail = logTail(output.toString("utf8"));
      throw new Error(`a build command exited with code ${code}`);
    }
    this.set(r, "committing");
    await docker.commit(id, s.image, commitConfig(base, s.labels));
    await docker.remove(id);
    r.container_id = null;
    this.set(r, "pushing");
    this.note(r, `pushing ${s.image}`);
    r.digest = await docker.push(s.image, this.auth.get(s.name)?.push);
    r.size = (await docker.inspectImage(s.image)).Size ?? null;
    this.note(r, `pushed ${s.image}@${r.digest}`);
    this.done(r, "succeeded", null);
  }

  private done(r: BuildRecord, status: "succeeded" | "failed", message: string | null): void {
    this.auth.delete(r.spec.name);
    this.ready.delete(r.spec.name);
    endBuild(this.ctx, r, status, message);
  }

  /** Background work: a failure removes the container (and an unpushed image), then ends the build. */
  private guard(r: BuildRecord, work: () => Promise<void>): void {
    work()
      .catch(async (err: unknown) => {
        await cleanUp(this.ctx, r).catch((e: unknown) =>
          log(`build ${r.spec.name}: cleanup: ${errorText(e)}`),
        );
        if (existsSync(logFile(this.ctx, r.spec.name))) this.note(r, `build failed: ${errorText(err)}`);
        this.done(r, "failed", errorText(err));
      })
      .catch((err: unknown) => log(`build ${r.spec.name}: ${errorText(err)}`)); // never crash the agent
  }
}
