// One SSH session to an instance and the agent calls the CLI makes through it.
import type { Client } from "ssh2";
import { UserError } from "../errors.js";
import type { BuildView } from "../runtime-agent/builder.js";
import type { BuildSpec } from "../runtime-agent/build-spec.js";
import type { JobSpec } from "../runtime-agent/spec.js";
import type { RunView } from "../runtime-agent/run-view.js";
import { agentRequest, type AgentResponse } from "../ssh/agent-client.js";
import { connectSsh } from "../ssh/connect.js";
import { AGENT_PORT } from "../stacks/local/agent-config.js";

/** Where an instance's sshd answers: 127.0.0.1 and a published port locally, a public IP on a cloud. */
export interface SshEndpoint {
  host: string;
  port: number;
  user: string;
}

/** How long an open session may be handed on to the next step (a claim to the submission) unused. */
const HAND_ON_MS = 30_000;

export class AgentSession {
  private closed = false;
  private lastUsed = Date.now();

  private constructor(readonly client: Client) {
    client.once("close", () => (this.closed = true));
  }

  /** `attempts`: sshd may still be starting on a new instance; a probe of a known one tries once. */
  static async open(instance: SshEndpoint, privateKey: string, attempts = 10): Promise<AgentSession> {
    const client = await connectSsh(
      { host: instance.host, port: instance.port, username: instance.user, privateKey },
      attempts,
    );
    return new AgentSession(client);
  }

  /**
   * Whether the session can serve the next step without a new SSH handshake: still connected, and
   * used recently (a connection left idle longer, e.g. while a user answered a prompt, may have been
   * dropped on the way without a close).
   */
  get fresh(): boolean {
    return !this.closed && Date.now() - this.lastUsed < HAND_ON_MS;
  }

  close(): void {
    this.closed = true;
    this.client.end();
  }

  private async call(method: string, path: string, body?: unknown): Promise<AgentResponse> {
    const response = await agentRequest(this.client, AGENT_PORT, method, path, body);
    this.lastUsed = Date.now();
    return response;
  }

  private async expect<T>(method: string, path: string, body: unknown, ok: number[]): Promise<T> {
    return this.check<T>(method, path, await this.call(method, path, body), ok);
  }

  private check<T>(method: string, path: string, response: AgentResponse, ok: number[]): T {
    if (!ok.includes(response.status)) {
      const detail =
        (response.body as { error?: string } | undefined)?.error ?? JSON.stringify(response.body);
      throw new UserError(
        "agent",
        `the instance agent refused ${method} ${path} (${response.status}): ${detail}`,
      );
    }
    return response.body as T;
  }

  /** Wait until the agent answers (it starts at the end of cloud-init). */
  async waitHealthy(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const response = await this.call("GET", "/api/health").catch(() => undefined);
      if (response?.status === 200) return;
      if (Date.now() > deadline)
        throw new UserError(
          "agent-down",
          `the instance agent did not answer within ${timeoutMs / 1000}s`,
          "see /var/log/dstack-agent.log on the instance (ssh <run>-host)",
        );
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  submit(job: JobSpec): Promise<RunView> {
    return this.expect("POST", "/api/runs", job, [201]);
  }

  uploadRepo(run: string, archive: Buffer): Promise<RunView> {
    return this.expect("PUT", `/api/runs/${run}/repo`, archive, [200]);
  }

  run(run: string): Promise<RunView | undefined> {
    return this.call("GET", `/api/runs/${run}`).then((r) =>
      r.status === 200 ? (r.body as RunView) : undefined,
    );
  }

  runs(): Promise<RunView[]> {
    return this.expect("GET", "/api/runs", undefined, [200]);
  }

  stop(run: string): Promise<RunView> {
    return this.expect("POST", `/api/runs/${run}/stop`, undefined, [200]);
  }

  update(
    run: string,
    patch: { inactivity_duration?: number | null; max_duration?: number | null },
  ): Promise<RunView> {
    return this.expect("PATCH", `/api/runs/${run}`, patch, [200]);
  }

  /**
   * A claim for a run about to be placed: the agent's idle clock restarts (so its self-stop backstop
   * cannot fire under the placement), and a reusing run's idle_duration becomes the instance's. Agents
   * older than the backstop answer 404: nothing to tell them.
   */
  async claim(idleDuration?: number | "off"): Promise<void> {
    const body =
      idleDuration === undefined ? {} : { idle_duration_s: idleDuration === "off" ? null : idleDuration };
    await this.call("PUT", "/api/instance", body).catch(() => undefined);
  }

  /**
   * Authorizes teammates' public keys on the instance (agent API 1.2); how many were new. An older
   * agent answers 404: then they cannot reach it (undefined).
   */
  async authorizeKeys(keys: readonly string[]): Promise<number | undefined> {
    const response = await this.call("POST", "/api/authorized-keys", { keys });
    if (response.status === 404) return undefined;
    return this.check<{ added: number }>("POST", "/api/authorized-keys", response, [200]).added;
  }

  logs(run: string, since: number): Promise<{ text: string; next_offset: number }> {
    return this.expect("GET", `/api/runs/${run}/logs?since=${since}`, undefined, [200]);
  }

  /**
   * Starts an image build (agent API 1.1): with `repo_upload`, it waits for uploadBuildRepo. An agent
   * older than builds answers 404 for the whole endpoint.
   */
  async build(spec: BuildSpec): Promise<BuildView> {
    const response = await this.call("POST", "/api/builds", spec);
    if (response.status === 404 && (response.body as { code?: string } | undefined)?.code === "not_found") {
      throw new UserError(
        "agent-too-old",
        "the instance's agent cannot build images (it predates agent API 1.1)",
        "build on a new instance: remove this one (`dstack pool remove INSTANCE`), or let it be torn down when idle",
      );
    }
    return this.check<BuildView>("POST", "/api/builds", response, [201]);
  }

  uploadBuildRepo(build: string, archive: Buffer): Promise<BuildView> {
    return this.expect("PUT", `/api/builds/${build}/repo`, archive, [200]);
  }

  /** undefined when the agent knows no build of that name. */
  buildStatus(build: string): Promise<BuildView | undefined> {
    return this.call("GET", `/api/builds/${build}`).then((r) =>
      r.status === 200 ? (r.body as BuildView) : undefined,
    );
  }

  /** Every build the agent knows; none from an agent older than builds (API 1.0). */
  builds(): Promise<BuildView[]> {
    return this.call("GET", "/api/builds").then((r) => (r.status === 200 ? (r.body as BuildView[]) : []));
  }

  /** The build's output from byte `since`; poll with since = next_offset. */
  buildLogs(build: string, since: number): Promise<{ text: string; next_offset: number }> {
    return this.expect("GET", `/api/builds/${build}/logs?since=${since}`, undefined, [200]);
  }
}

/** A build not ended holds its instance like an active run. */
export const isBuilding = (view: BuildView): boolean =>
  view.status !== "succeeded" && view.status !== "failed";

/** Active: the run holds its instance. */
export const isActive = (view: RunView): boolean =>
  view.status === "pending" || view.status === "pulling" || view.status === "running";
