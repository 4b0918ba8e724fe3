import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ssh2 from "ssh2";
import { afterEach, describe, expect, it } from "vitest";
import { ensureClientKey } from "../../../src/ssh/keys.js";

const homes: string[] = [];
afterEach(() => {
  for (const dir of homes.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function home(): string {
  const dir = mkdtempSync(join(tmpdir(), "dstack-keys-"));
  homes.push(dir);
  return dir;
}

const mode = (path: string): number => statSync(path).mode & 0o777;

describe("ensureClientKey", () => {
  it("generates an ed25519 key once, private 0600 in a 0700 folder", () => {
    const h = home();
    const key = ensureClientKey(h);
    expect(key.privateKeyPath).toBe(join(h, ".dstack", "ssh", "id_ed25519"));
    expect(key.privateKey).toContain("BEGIN OPENSSH PRIVATE KEY");
    expect(key.publicKey).toMatch(/^ssh-ed25519 [A-Za-z0-9+/=]+ dstack$/);
    expect(mode(key.privateKeyPath)).toBe(0o600);
    expect(mode(join(h, ".dstack", "ssh"))).toBe(0o700);
    expect(readFileSync(`${key.privateKeyPath}.pub`, "utf8")).toBe(`${key.publicKey}\n`);
    // The pair matches: what the private key signs, the public key verifies.
    const priv = ssh2.utils.parseKey(key.privateKey);
    const pub = ssh2.utils.parseKey(key.publicKey);
    if (priv instanceof Error || pub instanceof Error) throw new Error("unparsable key");
    expect(pub.verify("x", priv.sign("x"))).toBe(true);
  });

  it("reuses the key afterwards, restores a lost .pub and tightens loose modes", () => {
    const h = home();
    const first = ensureClientKey(h);
    expect(ensureClientKey(h)).toEqual(first);
    unlinkSync(`${first.privateKeyPath}.pub`);
    chmodSync(first.privateKeyPath, 0o644);
    const again = ensureClientKey(h);
    expect(again).toEqual(first);
    expect(readFileSync(`${first.privateKeyPath}.pub`, "utf8")).toBe(`${first.publicKey}\n`);
    expect(mode(first.privateKeyPath)).toBe(0o600);
  });
});
