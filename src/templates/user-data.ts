// Cloud-init user data of every instance, local or cloud alike: the runtime agent (gzip+base64 inside
// `write_files`), its config, and how it starts and restarts (systemd on a VM, a supervisor loop in a
// local instance container). Never a secret: any process on the VM can read user data.
import { gzipSync } from "node:zlib";
import Handlebars from "handlebars";
import { USER_DATA_TEMPLATE } from "./user-data.template.js";

export interface UserDataInput {
  /** The agent bundle (JavaScript source). */
  agentSource: string;
  /** The agent's JSON config (no secrets). */
  agentConfig: Record<string, unknown>;
  /** Public keys allowed to log in to the instance as root. */
  sshAuthorizedKeys: readonly string[];
  instanceName: string;
}

/** AWS's limit on raw user data; GCP (256 KiB) and Azure (64 KiB) allow more. */
export const AWS_USER_DATA_LIMIT = 16 * 1024;

const render = Handlebars.compile<Record<string, unknown>>(USER_DATA_TEMPLATE, {
  noEscape: true,
  strict: true,
});

export function gzipBase64(text: string): string {
  return gzipSync(Buffer.from(text, "utf8"), { level: 9 }).toString("base64");
}

/** A YAML double-quoted scalar (JSON strings are valid YAML). */
const quote = (text: string): string => JSON.stringify(text);

export function renderUserData(input: UserDataInput): string {
  for (const key of input.sshAuthorizedKeys) {
    if (!/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp\d+) [A-Za-z0-9+/=]+( .*)?$/.test(key))
      throw new Error(`not an OpenSSH public key: ${key.slice(0, 20)}...`);
  }
  return render({
    instanceName: input.instanceName,
    keys: input.sshAuthorizedKeys.map(quote),
    agentGzB64: gzipBase64(input.agentSource),
    agentConfig: quote(JSON.stringify(input.agentConfig)),
  });
}
