// Staying attached to a run: an SSH connection to the run's own sshd (so the attachment counts as
// activity, as in dstack), port forwards for `ports`, and the run's logs, until the caller's signal
// aborts (Ctrl-C detaches without stopping) or the run ends.
import { createServer, type Server } from "node:net";
import ssh2 from "ssh2";
import type { Client as SshClient } from "ssh2";

// ssh2 is CommonJS: take its classes from the default export (named ESM imports are not detected).
const { Client } = ssh2;
type Client = SshClient;
import type { RunView } from "../runtime-agent/run-view.js";
import { AgentSession, isActive } from "./agent-session.js";
import { instanceEndpoint, type RunRecord } from "./store.js";

export interface AttachOptions {
  privateKey: string;
  signal: AbortSignal;
  onLog(text: string): void;
  onForward(local: number, container: number): void;
  pollMs?: number;
}

function runSsh(session: AgentSession, run: RunRecord, privateKey: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    session.client.forwardOut("127.0.0.1", 0, "127.0.0.1", run.run_ssh_port, (error, stream) => {
      if (error !== undefined) return reject(error);
      const client = new Client();
      client.once("ready", () => resolve(client)).on("error", reject);
      client.connect({ sock: stream, username: "root", privateKey, keepaliveInterval: 15_000 });
    });
  });
}

function forward(session: AgentSession, local: number | null, container: number): Promise<Server> {
  const server = createServer((socket) => {
    session.client.forwardOut("127.0.0.1", 0, "127.0.0.1", container, (error, stream) => {
      if (error !== undefined) return socket.destroy();
      socket.pipe(stream).pipe(socket);
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(local ?? 0, "127.0.0.1", () => resolve(server));
  });
}

/** Returns the run's last view when it ended, or undefined when the user detached. */
export async function attach(run: RunRecord, options: AttachOptions): Promise<RunView | undefined> {
  const session = await AgentSession.open(instanceEndpoint(run), options.privateKey);
  const servers: Server[] = [];
  let shell: Client | undefined;
  try {
    const first = await session.run(run.name);
    const active = first !== undefined && isActive(first);
    if (active && run.type === "dev-environment") shell = await runSsh(session, run, options.privateKey);
    for (const port of active ? run.ports : []) {
      const server = await forward(session, port.local, port.container);
      servers.push(server);
      const address = server.address();
      options.onForward(typeof address === "object" && address !== null ? address.port : 0, port.container);
    }
    let offset = 0;
    for (;;) {
      const logs = await session.logs(run.name, offset);
      if (logs.text !== "") options.onLog(logs.text);
      offset = logs.next_offset;
      const view = await session.run(run.name);
      if (view === undefined || !isActive(view)) {
        const rest = await session.logs(run.name, offset);
        if (rest.text !== "") options.onLog(rest.text);
        return view;
      }
      if (options.signal.aborted) return undefined;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.pollMs ?? 1000);
        options.signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
      });
      if (options.signal.aborted) return undefined;
    }
  } finally {
    for (const server of servers) server.close();
    shell?.end();
    session.close();
  }
}
