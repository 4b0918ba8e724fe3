import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stateCheck } from "../../../src/doctor/state-check.js";
import { maskUrl, probeState } from "../../../src/doctor/state-probe.js";
import { tempDir } from "./fakes.js";

const never = (): boolean => false;

describe("state backend check", () => {
  it("defaults to a writable file backend with the generated passphrase, never shown", () => {
    const home = tempDir();
    const probe = probeState({ env: {}, home, fileExists: never });
    const c = stateCheck(probe);
    expect(c).toMatchObject({ name: "state-backend", status: "ok" });
    expect(c.detail).toBe(
      `file://${home}/.dstack/state (file), passphrase from the generated ~/.dstack/state-passphrase, writable`,
    );
    const passphrase = readFileSync(join(home, ".dstack", "state-passphrase"), "utf8").trim();
    expect(passphrase.length).toBeGreaterThan(10);
    expect(JSON.stringify([probe, c])).not.toContain(passphrase);
  });

  it("names the variable holding the passphrase, not its value", () => {
    const probe = probeState({
      env: { DSTACK_STATE_PASSPHRASE: "hunter2-secret" },
      home: tempDir(),
      backendUrl: "s3://bucket/dstack",
      fileExists: never,
    });
    const c = stateCheck(probe);
    expect(c.status).toBe("ok");
    expect(c.detail).toContain("passphrase from DSTACK_STATE_PASSPHRASE");
    expect(JSON.stringify([probe, c])).not.toContain("hunter2-secret");
  });

  it("an unusable state folder is an error", () => {
    const home = tempDir();
    writeFileSync(join(home, "file"), "");
    const c = stateCheck(
      probeState({ env: {}, home, backendUrl: `file://${home}/file/state`, fileExists: never }),
    );
    expect(c).toMatchObject({ status: "error", hint: expect.stringContaining("--backend-url") as string });
  });

  it("Pulumi Cloud without a token is a warning; with one it is ok", () => {
    const home = tempDir();
    const url = "https://api.pulumi.com";
    expect(stateCheck(probeState({ env: {}, home, backendUrl: url, fileExists: never })).status).toBe(
      "warning",
    );
    mkdirSync(join(home, ".pulumi"));
    const withToken = probeState({
      env: { PULUMI_ACCESS_TOKEN: "pul-xyz" },
      home,
      backendUrl: url,
      fileExists: never,
    });
    expect(stateCheck(withToken)).toMatchObject({
      status: "ok",
      detail: expect.stringContaining("secrets kept by the service") as string,
    });
  });

  it("masks a password in the URL", () => {
    expect(maskUrl("https://me:s3cret@pulumi.example.com/x")).toBe("https://me:***@pulumi.example.com/x");
    expect(maskUrl("s3://bucket")).toBe("s3://bucket");
  });
});
