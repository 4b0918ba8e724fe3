// One SSH session to an instance and the agent calls the CLI makes through it.
import type { Client } from "ssh2";
import { UserError } from "../errors.js";
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
    const response = await this.call(method, path, body);
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

  logs(run: string, since: number): Promise<{ text: string; next_offset: number }> {
    return this.expect("GET", `/api/runs/${run}/logs?since=${since}`, undefined, [200]);
  }
}

/** Active: the run holds its instance. */
export const isActive = (view: RunView): boolean =>
  view.status === "pending" || view.status === "pulling" || view.status === "running";
