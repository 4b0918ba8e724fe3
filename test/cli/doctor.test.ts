// `dstack doctor` through the built CLI (bin/dstack.js -> dist/), with a temporary HOME and fake cloud
// credentials in the environment. Pulumi and Docker may or may not be present here; the report says so,
// and the exit code follows the report.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { dstack as runCli, project } from "./run-cli.js";

interface Report {
  checks: { name: string; status: string; detail: string; hint: string | null }[];
  ok: boolean;
}

const SECRET = "fake/Secret+Key0123456789abcdefDOCTOR";
let cwd = "";

beforeAll(() => {
  cwd = project({});
});

function home(): string {
  return mkdtempSync(join(tmpdir(), "dstack-home-"));
}

describe("dstack doctor", () => {
  it("--json reports aws configured, gcp missing, and never prints a secret", () => {
    const h = home();
    const env = {
      HOME: h,
      AWS_ACCESS_KEY_ID: "AKIAFAKEDOCTORTEST",
      AWS_SECRET_ACCESS_KEY: SECRET,
      AWS_REGION: "us-west-2",
      // Keep the developer's own cloud settings out of the report.
      CLOUDSDK_CONFIG: join(h, "gcloud"),
      AZURE_CONFIG_DIR: join(h, "azure"),
    };
    const { code, stdout, stderr } = runCli(["doctor", "--json"], { cwd, env });
    expect(stderr).toBe("");
    const report = JSON.parse(stdout) as Report;
    const byName = new Map(report.checks.map((c) => [c.name, c]));
    for (const c of report.checks) {
      expect(["ok", "warning", "error", "missing"]).toContain(c.status);
      expect(Object.keys(c)).toEqual(["name", "status", "detail", "hint"]);
    }
    expect(byName.get("backend:aws")).toMatchObject({
      status: "ok",
      detail: expect.stringContaining("region us-west-2 (AWS_REGION)") as string,
    });
    expect(byName.get("backend:gcp")?.status).toBe("missing");
    expect(byName.get("backend:azure")?.status).toBe("missing");
    expect(byName.get("state-backend")).toMatchObject({
      status: "ok",
      detail: `file://${h}/.dstack/state (file), passphrase from the generated ~/.dstack/state-passphrase, writable`,
    });
    expect(["ok", "error"]).toContain(byName.get("pulumi-cli")?.status);
    expect(["ok", "error"]).toContain(byName.get("docker")?.status);
    expect(report.ok).toBe(report.checks.every((c) => c.status !== "error"));
    expect(code).toBe(report.ok ? 0 : 1);

    const passphrase = readFileSync(join(h, ".dstack", "state-passphrase"), "utf8").trim();
    for (const text of [stdout, stderr]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain("AKIAFAKEDOCTORTEST");
      expect(text).not.toContain(passphrase);
    }
  });

  it("prints a readable list with a summary, and points at a broken config.yml by line and column", () => {
    const h = home();
    mkdirSync(join(h, ".dstack"));
    writeFileSync(join(h, ".dstack", "config.yml"), "backends:\n  - type: aws\n    regions: us-east-1\n");
    const { code, stdout } = runCli(["doctor", "--backend-url", `file://${h}/state`], {
      cwd,
      env: { HOME: h },
    });
    expect(code).toBe(1);
    expect(stdout).toMatch(/^✓ node +Node\.js v\d+/m);
    expect(stdout).toMatch(
      /^✗ dstack-config +~\/\.dstack\/config\.yml:3:14: backends\[0\]\.regions: expected a list of region names$/m,
    );
    expect(stdout).toMatch(new RegExp(`^✓ state-backend +file://${h}/state \\(file\\)`, "m"));
    expect(stdout).toMatch(/^! backend:aws +listed in config\.yml, but no credentials found$/m);
    expect(stdout).toMatch(/\n\n\d+ ok, \d+ warnings?, \d+ missing, \d+ errors?: fix the ✗ lines above\.\n$/);
  });

  it("rejects an unknown flag with a suggestion", () => {
    const { code, stderr } = runCli(["doctor", "--jsno"], { cwd, env: { HOME: home() } });
    expect(code).toBe(2);
    expect(stderr).toContain("did you mean --json?");
  });
});
