import { describe, expect, it } from "vitest";
import { runDoctor } from "../../../src/doctor/run-doctor.js";
import type { PulumiLookup } from "../../../src/doctor/pulumi-probe.js";
import { fakeExec, tempDir, withFiles } from "./fakes.js";

const images = () => ({ instance: "dstack/local-instance:abcdef012345", base: "dstack/base:py3.11" });
const pulumi = (found: boolean): PulumiLookup => {
  const bin = withFiles({ "pulumi+x": "", "pulumi-resource-pulumi-nodejs+x": "" });
  return {
    find: () => (found ? { binDir: bin, version: "3.248.0" } : undefined),
    pinnedVersion: () => "3.248.0",
    packageDir: () => bin,
  };
};
const dockerUp = fakeExec({
  "docker info": { stdout: "24.0.7" },
  "docker image inspect": { stdout: "sha256:1" },
});

describe("runDoctor", () => {
  it("reports every check in order, and is ok when nothing is an error", () => {
    const report = runDoctor({
      env: { PATH: "", AWS_ACCESS_KEY_ID: "AKIAFAKE", AWS_SECRET_ACCESS_KEY: "very-secret" },
      home: tempDir(),
      exec: dockerUp,
      nodeVersion: "20.19.0",
      pulumi: pulumi(true),
      images,
    });
    expect(report.checks.map((c) => `${c.name} ${c.status}`)).toEqual([
      "node ok",
      "pulumi-cli ok",
      "pulumi-language-nodejs warning",
      "pulumi-dynamic-provider ok",
      "docker ok",
      "local-images ok",
      "state-backend ok",
      "dstack-config missing",
      "records ok",
      "backend:local ok",
      "backend:aws ok",
      "backend:gcp missing",
      "backend:azure missing",
    ]);
    expect(report.ok).toBe(true);
    expect(report.checks.find((c) => c.name === "records")?.detail).toMatch(/^personal, in ~\/\.dstack/);
    expect(JSON.stringify(report)).not.toContain("very-secret");
  });

  it("says where the records live: a shared folder, a bucket, a Pulumi service; personal on gs://", () => {
    const base = { home: tempDir(), exec: dockerUp, nodeVersion: "20.19.0", pulumi: pulumi(true), images };
    const records = (url: string) =>
      runDoctor({ ...base, env: { PATH: "", DSTACK_BACKEND_URL: url } }).checks.find(
        (c) => c.name === "records",
      );
    expect(records("file:///mnt/team")).toMatchObject({
      status: "ok",
      detail: "shared with the team in /mnt/team/.dstack",
    });
    expect(records("s3://team-bucket/dstack?region=eu-west-1")?.detail).toBe(
      "shared with the team in s3://team-bucket/dstack (under .dstack/)",
    );
    expect(records("https://api.pulumi.com")).toMatchObject({
      status: "ok",
      detail: "shared with the team as stacks of https://api.pulumi.com (projects dstack-*)",
    });
    expect(records("gs://team-bucket")?.status).toBe("warning");
  });

  it("is not ok when the Pulumi CLI or the Docker engine is missing", () => {
    const home = tempDir();
    const base = { env: { PATH: "" }, home, nodeVersion: "20.19.0", images };
    expect(runDoctor({ ...base, exec: dockerUp, pulumi: pulumi(false) }).ok).toBe(false);
    const noDocker = runDoctor({ ...base, exec: fakeExec({}), pulumi: pulumi(true) });
    expect(noDocker.ok).toBe(false);
    expect(noDocker.checks.filter((c) => c.status === "error").map((c) => c.name)).toEqual([
      "docker",
      "backend:local",
    ]);
  });

  it("uses --backend-url and the backends of ~/.dstack/config.yml", () => {
    const home = withFiles({ ".dstack/config.yml": "backends:\n  - type: gcp\n    project: p\n" });
    const report = runDoctor({
      env: { PATH: "", PULUMI_CONFIG_PASSPHRASE: "pp-secret" },
      home,
      exec: dockerUp,
      nodeVersion: "20.19.0",
      pulumi: pulumi(true),
      images,
      backendUrl: "s3://team-state",
    });
    const byName = new Map(report.checks.map((c) => [c.name, c]));
    expect(byName.get("state-backend")?.detail).toMatch(
      /^s3:\/\/team-state \(s3\), passphrase from PULUMI_CONFIG_PASSPHRASE/,
    );
    expect(byName.get("dstack-config")).toMatchObject({
      status: "ok",
      detail: "~/.dstack/config.yml: backends gcp",
    });
    expect(byName.get("backend:gcp")).toMatchObject({
      status: "warning",
      detail: "listed in config.yml, but no credentials found",
    });
    expect(JSON.stringify(report)).not.toContain("pp-secret");
  });
});
