// Teammates' keys added through the agent (POST /api/authorized-keys): appended once, never removed,
// only OpenSSH public keys accepted.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { authorizeKeys } from "../../../src/runtime-agent/authorized-keys.js";

const A = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAlice alice@laptop";
const B = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBob bob@desk";

describe("authorizeKeys", () => {
  it("appends the keys the file lacks, keeping what cloud-init wrote; the same key with another comment is known", () => {
    const file = join(mkdtempSync(join(tmpdir(), "keys-")), ".ssh", "authorized_keys");
    expect(authorizeKeys({ keys: [A] }, file)).toEqual({ added: 1 });
    writeFileSync(file, `${readFileSync(file, "utf8")}# kept\n`);
    expect(authorizeKeys({ keys: [A.replace("alice@laptop", "other"), B, B] }, file)).toEqual({ added: 1 });
    expect(readFileSync(file, "utf8")).toBe(`${A}\n# kept\n${B}\n`);
  });

  it("refuses anything but a list of OpenSSH public keys", () => {
    const file = join(mkdtempSync(join(tmpdir(), "keys-")), "authorized_keys");
    for (const body of [{}, { keys: "x" }, { keys: ["not a key"] }, { keys: [`${A}\nssh-rsa AAAA evil`] }])
      expect(() => authorizeKeys(body, file)).toThrow("keys: expected a list of OpenSSH public keys");
  });
});
