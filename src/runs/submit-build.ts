// A build on the agent of the instance it was placed on (PROTOCOL.md, "Builds"): the build spec, the
// repository upload (the files the commands read), then the build's log streamed as it grows, until the
// agent says it succeeded (committed and pushed) or failed (nothing pushed, no container left).
import { setTimeout as delay } from "node:timers/promises";
import type { DevEnvironmentSpec, TaskSpec } from "../compiler/spec.js";
import { reveal } from "../compiler/secret.js";
import type { PrebuiltTarget } from "../build/prebuilt-target.js";
import type { BasicCredentials } from "../build/registry-challenge.js";
import { UserError } from "../errors.js";
import type { InstanceAddress } from "../pools/pool.js";
import type { BuildSpec } from "../runtime-agent/build-spec.js";
import type { BuildView } from "../runtime-agent/builder.js";
import { AgentSession, isBuilding } from "./agent-session.js";
import { createCodeUpload } from "./code-upload.js";

/** Where the repository is mounted and the commands start (the key's files are read from there too). */
export const BUILD_WORKDIR = "/workflow";
const POLL_MS = 250;

export interface BuildUi {
  progress(line: string): void;
  /** The build's own output, as it comes (raw text, newlines included). */
  log(text: string): void;
}

export interface SubmitBuildInput {
  spec: DevEnvironmentSpec | TaskSpec;
  target: PrebuiltTarget;
  /** Where the image is pushed: `<registry>/<repository>:<key>`. */
  image: string;
  /** The registry's short-lived credentials (a cloud's); none for this machine's registry. */
  pushAuth?: BasicCredentials;
  labels: Record<string, string>;
  address: InstanceAddress;
  privateKey: string;
  /** The claim's open session, used while still fresh (closed here either way). */
  session?: AgentSession;
  repoDir: string;
  configFile: string;
  ui: BuildUi;
  signal?: AbortSignal;
}

export interface BuiltImage {
  ref: string;
  digest: string;
  /** Bytes of the image on the instance's engine. */
  size: number | null;
  /** From the submission to the push. */
  seconds: number;
  instance: string;
}

export async function submitBuild(input: SubmitBuildInput): Promise<BuiltImage> {
  const { spec, target } = input;
  const archiving = createCodeUpload({ spec, repoDir: input.repoDir, configFile: input.configFile });
  archiving.catch(() => undefined); // awaited below
  const handedOn = input.session?.fresh === true ? input.session : undefined;
  if (handedOn === undefined) input.session?.close();
  const session = handedOn ?? (await AgentSession.open(input.address, input.privateKey));
  const started = Date.now();
  try {
    if (handedOn === undefined) await session.waitHealthy();
    const name = `build-${target.key.key}`;
    const build: BuildSpec = {
      name,
      base_image: target.base,
      commands: spec.build,
      // Revealed: it travels over the SSH tunnel only, and the agent keeps it in a script file that
      // never reaches the image nor its state file.
      env: Object.fromEntries(Object.entries(spec.env).map(([k, v]) => [k, reveal(v)])),
      image: input.image,
      // Over the SSH tunnel only; the agent uses it for the push and never stores it.
      ...(input.pushAuth === undefined ? {} : { registry_auth: { ...input.pushAuth } }),
      ...(spec.registry_auth === null
        ? {}
        : {
            base_registry_auth: {
              username: spec.registry_auth.username,
              password: spec.registry_auth.password.reveal(),
            },
          }),
      workdir: BUILD_WORKDIR,
      repo_upload: true,
      labels: input.labels,
    };
    const repo = await archiving;
    input.ui.progress(`Building ${input.image} on ${input.address.name} from ${target.base}...`);
    await session.build(build);
    await session.uploadBuildRepo(name, repo.archive);
    const view = await follow(session, name, input.ui, input.signal);
    if (view.status === "failed") throw buildFailed(view);
    return {
      ref: input.image,
      digest: view.digest ?? "",
      size: view.size,
      seconds: (Date.now() - started) / 1000,
      instance: input.address.name,
    };
  } finally {
    session.close();
  }
}

/** Streams the log until the build ends; its view then. */
async function follow(
  session: AgentSession,
  name: string,
  ui: BuildUi,
  signal?: AbortSignal,
): Promise<BuildView> {
  let since = 0;
  let status = "";
  for (;;) {
    // The status first: once it says ended, the log read after it holds everything.
    const view = await session.buildStatus(name);
    if (view === undefined) throw new UserError("build-lost", `the instance's agent lost the build ${name}`);
    const logs = await session.buildLogs(name, since);
    since = logs.next_offset;
    if (logs.text !== "") ui.log(logs.text);
    if (view.status !== status && (view.status === "committing" || view.status === "pushing"))
      ui.progress(`  ${view.status}...`);
    status = view.status;
    if (!isBuilding(view)) return view;
    if (signal?.aborted === true)
      throw new UserError(
        "cancelled",
        `cancelled: stopped following the build ${name}; it goes on on its instance and pushes its image if it succeeds`,
        "dstack build --list shows whether it arrived",
        130,
      );
    await delay(POLL_MS);
  }
}

function buildFailed(view: BuildView): UserError {
  const message = view.message ?? "no message";
  // The agent's message names the exit code already ("a build command exited with code 7").
  const code =
    view.exit_code === null || message.includes(`code ${view.exit_code}`)
      ? ""
      : ` (exit code ${view.exit_code})`;
  const tail = (view.log_tail ?? "").trimEnd();
  return new UserError(
    "build-failed",
    `the build of ${view.image} failed${code}: ${message}; nothing was pushed` +
      (tail === "" ? "" : `\nLast lines of its log:\n${tail.replace(/^/gm, "  ")}`),
    "fix the build command (or the files it reads) and run it again",
  );
}
