// The CLI's own SSH key (~/.dstack/ssh/id_ed25519): generated once, then reused for every instance and run,
// and named as IdentityFile in ~/.dstack/ssh/config so plain `ssh <run>` uses it.
import { chmodSync, mkdirSync, readFileSync } from "node:fs";
import ssh2 from "ssh2";
import { createOnce } from "../create-once.js";
import { writeFileAtomic } from "../home/atomic-file.js";
import { sshDir, sshKeyFile } from "../home/paths.js";

// ssh2 is CommonJS and `utils` is not detected as a named export under Node's ESM loader.
const { utils } = ssh2;

export interface ClientKey {
  privateKey: string;
  /** OpenSSH one-line form, `ssh-ed25519 AAAA… dstack`, for authorized_keys. */
  publicKey: string;
  privateKeyPath: string;
}

function publicLine(privateKey: string, path: string): string {
  const key = utils.parseKey(privateKey);
  if (key instanceof Error) throw new Error(`cannot read the SSH key ${path}: ${key.message}`);
  return `${key.type} ${key.getPublicSSH().toString("base64")} dstack`;
}

function readKey(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

/**
 * An ed25519 key pair that ssh2 can read back. ssh2's generator emits a key its own parser rejects
 * ("Malformed OpenSSH private key") about 3 times in 1,000; such a key would make every later SSH
 * connection fail, so generate again until it parses.
 */
export function generateKeyPair(comment?: string): { private: string; public: string } {
  for (;;) {
    const pair = utils.generateKeyPairSync("ed25519", comment === undefined ? {} : { comment });
    if (!(utils.parseKey(pair.private) instanceof Error)) return pair;
  }
}

export function ensureClientKey(home: string): ClientKey {
  const path = sshKeyFile(home);
  mkdirSync(sshDir(home), { recursive: true, mode: 0o700 });
  let privateKey = readKey(path);
  if (privateKey === null) {
    // When two commands race, the first key wins and both use it.
    createOnce(path, generateKeyPair("dstack").private, 0o600);
    privateKey = readFileSync(path, "utf8");
  }
  // OpenSSH ignores a private key that others can read ("UNPROTECTED PRIVATE KEY FILE").
  chmodSync(path, 0o600);
  // The public key is derived from the private one, so a missing or stale .pub is simply rewritten.
  const publicKey = publicLine(privateKey, path);
  if (readKey(`${path}.pub`)?.trim() !== publicKey) {
    writeFileAtomic(`${path}.pub`, `${publicKey}\n`, 0o644);
  }
  return { privateKey, publicKey, privateKeyPath: path };
}
