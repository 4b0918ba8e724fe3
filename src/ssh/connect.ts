// SSH to an instance with ssh2 (real OpenSSH on the other side), retrying while sshd starts.
import ssh2 from "ssh2";
import type { Client as SshClient } from "ssh2";

// ssh2 is CommonJS: take its classes from the default export (named ESM imports are not detected).
const { Client } = ssh2;
type Client = SshClient;

export interface SshTarget {
  host: string;
  port: number;
  username: string;
  privateKey: string;
}

function once(target: SshTarget): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client
      .once("ready", () => resolve(client))
      // `on`, not `once`: a booting instance's sshd may drop the connection after a first error (e.g.
      // "Connection lost before handshake" after a reset); an error with no listener left would crash
      // the whole CLI. Later errors after the promise settled change nothing.
      .on("error", (error) => {
        client.end();
        reject(error);
      })
      // A connection closed before the handshake without an error (the port's proxy accepted it, then
      // its container went away) would otherwise leave this promise pending forever, and a process
      // with nothing else to wait for exits mid-await (code 13).
      .once("close", () => reject(new Error("the connection closed before SSH was ready")))
      .connect({
        host: target.host,
        port: target.port,
        username: target.username,
        privateKey: target.privateKey,
        readyTimeout: 10_000,
      });
  });
}

/**
 * The instance's sshd refused this key: it is up, but not ours to reach (a teammate's instance that
 * does not authorize our key yet). Never retried: waiting does not change it.
 */
export class SshKeyRefused extends Error {
  constructor(readonly target: string) {
    super(`${target} does not accept this key`);
    this.name = "SshKeyRefused";
  }
}

export async function connectSsh(target: SshTarget, attempts = 10, delayMs = 500): Promise<Client> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await once(target);
    } catch (error) {
      if ((error as { level?: string }).level === "client-authentication")
        throw new SshKeyRefused(`${target.username}@${target.host}:${target.port}`);
      last = error;
      // No pause after the last try: a probe of one that is gone (ps) answers at once.
      if (i + 1 < attempts) await new Promise((r) => setTimeout(r, delayMs));
    }
  }
  throw new Error(
    `cannot connect over SSH to ${target.username}@${target.host}:${target.port}: ${last instanceof Error ? last.message : String(last)}`,
  );
}

/** Run a command and collect its output and exit code. */
export function exec(
  client: Client,
  command: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, stream) => {
      if (error !== undefined) return reject(error);
      let stdout = "";
      let stderr = "";
      stream.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
      stream.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
      stream.on("close", (code: number | null) => resolve({ code: code ?? -1, stdout, stderr }));
    });
  });
}
