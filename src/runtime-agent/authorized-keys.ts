// Teammates' keys on the instance (issue 15): the CLI of someone who can reach the instance adds the
// public keys of the other members of its shared backend, so they can reach its agent too (ps, stop,
// logs). Only appends: a key is never removed here, and the file keeps whatever cloud-init wrote.
import { existsSync, mkdirSync, readFileSync, appendFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { HttpError } from "./http-util.js";

const KEY_LINE = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]+( [^\n]*)?$/;

export function authorizeKeys(
  body: unknown,
  file = join(homedir(), ".ssh", "authorized_keys"),
): { added: number } {
  const keys = (body as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === "string" && KEY_LINE.test(k.trim())))
    throw new HttpError(422, "invalid_body", "keys: expected a list of OpenSSH public keys");
  const present = existsSync(file) ? readFileSync(file, "utf8") : "";
  // The same key material with another comment is the same key.
  const known = new Set(present.split("\n").map((l) => l.trim().split(" ").slice(0, 2).join(" ")));
  const fresh = (keys as string[])
    .map((k) => k.trim())
    .filter((k) => !known.has(k.split(" ").slice(0, 2).join(" ")));
  if (fresh.length > 0) {
    mkdirSync(join(file, ".."), { recursive: true, mode: 0o700 });
    const sep = present === "" || present.endsWith("\n") ? "" : "\n";
    appendFileSync(file, `${sep}${[...new Set(fresh)].join("\n")}\n`, { mode: 0o600 });
  }
  return { added: new Set(fresh).size };
}
