import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeLock, readLockHolder } from "../../../src/engine/lock-info.js";
import { resolveStateBackend } from "../../../src/engine/state-backend.js";

const home = (): string => mkdtempSync(join(tmpdir(), "dstack-home-"));

describe("state backend", () => {
  it("defaults to a file backend in ~/.dstack/state with a generated 0600 passphrase", () => {
    const h = home();
    const backend = resolveStateBackend({ home: h, env: {} });
    expect(backend).toMatchObject({
      url: `file://${h}/.dstack/state`,
      kind: "file",
      passphraseSource: "file",
    });
    const file = join(h, ".dstack", "state-passphrase");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(backend.passphrase?.reveal()).toBe(readFileSync(file, "utf8").trim());
    expect(JSON.stringify(backend)).not.toContain(backend.passphrase!.reveal());
    expect(resolveStateBackend({ home: h, env: {} }).passphrase?.reveal()).toBe(backend.passphrase?.reveal());
  });

  it("prefers the passphrase from the environment and the URL from the flag", () => {
    const backend = resolveStateBackend({
      home: home(),
      env: { PULUMI_CONFIG_PASSPHRASE: "pw", DSTACK_BACKEND_URL: "s3://env-bucket" },
      backendUrl: "s3://flag-bucket",
    });
    expect(backend).toMatchObject({ url: "s3://flag-bucket", kind: "s3", passphraseSource: "environment" });
    expect(backend.passphrase?.reveal()).toBe("pw");
  });

  it("needs no passphrase for Pulumi Cloud", () => {
    expect(
      resolveStateBackend({ home: home(), env: {}, backendUrl: "https://api.pulumi.com" }),
    ).toMatchObject({ kind: "cloud", passphrase: undefined });
  });
});

describe("lock holder of a file backend", () => {
  it("reads who holds the lock and since when", () => {
    const dir = mkdtempSync(join(tmpdir(), "dstack-state-"));
    const locks = join(dir, ".pulumi", "locks", "organization", "dstack", "pool-a");
    mkdirSync(locks, { recursive: true });
    writeFileSync(
      join(locks, "x.json"),
      JSON.stringify({ pid: 42, username: "ana", hostname: "box", timestamp: "2026-11-22T10:00:00Z" }),
    );
    const holder = readLockHolder(`file://${dir}`, "pool-a");
    expect(describeLock(holder)).toBe("ana@box (pid 42) holds the lock since 2026-11-22T10:00:00Z");
    expect(readLockHolder(`file://${dir}`, "other")).toBeNull();
    expect(describeLock(null)).toBe("another update holds the lock");
  });
});
