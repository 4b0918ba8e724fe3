import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { awsCheck, azureCheck, gcpCheck, localCheck } from "../../../src/doctor/cloud-checks.js";
import { probeAws, probeAzure, probeGcp } from "../../../src/doctor/cloud-probes.js";
import { check } from "../../../src/doctor/check.js";
import { homeRelative } from "../../../src/doctor/run-doctor.js";
import { tempDir, withFiles } from "./fakes.js";

function aws(
  env: Record<string, string>,
  files: Record<string, string> = {},
  config?: { regions: string[] },
) {
  const home = withFiles(files);
  const backend = config === undefined ? undefined : { type: "aws" as const, ...config };
  return awsCheck(probeAws(env, home), backend, homeRelative(home));
}

describe("AWS credentials", () => {
  it("from the environment, with the region; the values are never shown", () => {
    const c = aws({
      AWS_ACCESS_KEY_ID: "AKIAFAKE",
      AWS_SECRET_ACCESS_KEY: "sekret/xyz",
      AWS_REGION: "eu-west-1",
    });
    expect(c).toEqual({
      name: "backend:aws",
      status: "ok",
      detail:
        "credentials: environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY); region eu-west-1 (AWS_REGION)",
      hint: null,
    });
  });

  it("from a profile in ~/.aws, with its region from ~/.aws/config and config.yml regions", () => {
    const files = {
      ".aws/credentials": "[default]\naws_access_key_id = X\n\n[dev]\naws_access_key_id = Y\n",
      ".aws/config": "[default]\nregion = us-east-2\n[profile dev]\nregion = ap-south-1\n",
    };
    expect(aws({}, files).detail).toBe(
      "credentials: profile default (~/.aws/credentials); region us-east-2 (~/.aws/config)",
    );
    expect(aws({ AWS_PROFILE: "dev" }, files, { regions: ["us-west-2"] }).detail).toBe(
      "credentials: profile dev (~/.aws/credentials); region ap-south-1 (~/.aws/config); in config.yml (regions us-west-2)",
    );
  });

  it("says when no region is set anywhere", () => {
    const keys = { AWS_ACCESS_KEY_ID: "AKIAFAKE", AWS_SECRET_ACCESS_KEY: "x" };
    expect(aws(keys).detail).toMatch(/; no default region$/);
    expect(aws(keys, {}, { regions: ["us-east-1"] }).detail).toBe(
      "credentials: environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY); in config.yml (regions us-east-1)",
    );
  });

  it("warns about half-set keys and an AWS_PROFILE that no file defines", () => {
    expect(aws({ AWS_ACCESS_KEY_ID: "AKIAFAKE" })).toMatchObject({
      status: "warning",
      detail: "AWS_ACCESS_KEY_ID is set without AWS_SECRET_ACCESS_KEY",
    });
    const c = aws({ AWS_PROFILE: "prod" }, { ".aws/config": "[default]\nregion = us-east-1\n" });
    expect(c.status).toBe("warning");
    expect(c.detail).toMatch(
      /^AWS_PROFILE=prod, but no such profile in ~\/\.aws\/credentials or ~\/\.aws\/config/,
    );
  });

  it("none is 'missing', unless config.yml lists aws", () => {
    expect(aws({})).toMatchObject({
      status: "missing",
      hint: expect.stringContaining("AWS_ACCESS_KEY_ID") as string,
    });
    expect(aws({}, {}, { regions: [] })).toMatchObject({
      status: "warning",
      detail: "listed in config.yml, but no credentials found",
    });
  });
});

describe("GCP credentials", () => {
  it("from GOOGLE_APPLICATION_CREDENTIALS, with the project from the key file", () => {
    const home = withFiles({
      "key.json": JSON.stringify({ type: "service_account", project_id: "proj-1", private_key: "PRIVATE" }),
    });
    const c = gcpCheck(
      probeGcp({ GOOGLE_APPLICATION_CREDENTIALS: join(home, "key.json") }, home),
      undefined,
      homeRelative(home),
    );
    expect(c).toMatchObject({
      status: "ok",
      detail:
        "credentials: GOOGLE_APPLICATION_CREDENTIALS (~/key.json, service_account); project proj-1 (~/key.json)",
    });
    expect(JSON.stringify(c)).not.toContain("PRIVATE");
  });

  it("application default credentials without a project are a warning; config.yml's project fixes it", () => {
    const home = withFiles({
      ".config/gcloud/application_default_credentials.json": '{"type":"authorized_user"}',
    });
    const facts = probeGcp({}, home);
    expect(gcpCheck(facts, undefined, homeRelative(home))).toMatchObject({
      status: "warning",
      detail: expect.stringMatching(/application default credentials .*; no project set$/) as string,
      hint: expect.stringContaining("GOOGLE_CLOUD_PROJECT") as string,
    });
    const withProject = gcpCheck(facts, { type: "gcp", regions: [], project: "p2" }, homeRelative(home));
    expect(withProject).toMatchObject({
      status: "ok",
      detail: expect.stringContaining("project p2 (config.yml)") as string,
    });
    expect(
      gcpCheck(probeGcp({ GOOGLE_CLOUD_PROJECT: "p3" }, home), undefined, homeRelative(home)).detail,
    ).toContain("project p3 (GOOGLE_CLOUD_PROJECT)");
  });

  it("a GOOGLE_APPLICATION_CREDENTIALS naming no file is a warning; nothing is 'missing'", () => {
    const home = tempDir();
    const c = gcpCheck(
      probeGcp({ GOOGLE_APPLICATION_CREDENTIALS: "/nope.json" }, home),
      undefined,
      homeRelative(home),
    );
    expect(c).toMatchObject({
      status: "warning",
      detail: "GOOGLE_APPLICATION_CREDENTIALS names a missing file /nope.json",
    });
    expect(gcpCheck(probeGcp({}, home), undefined, homeRelative(home)).status).toBe("missing");
  });
});

describe("Azure credentials", () => {
  const sp = { AZURE_CLIENT_ID: "cid", AZURE_TENANT_ID: "tid", AZURE_CLIENT_SECRET: "azure-secret-value" };

  it("a complete service principal with a subscription is ok; the secret is never shown", () => {
    const home = tempDir();
    const c = azureCheck(
      probeAzure({ ...sp, AZURE_SUBSCRIPTION_ID: "sub-1" }, home),
      undefined,
      homeRelative(home),
    );
    expect(c).toMatchObject({
      status: "ok",
      detail:
        "credentials: service principal (AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_CLIENT_SECRET); subscription sub-1 (AZURE_SUBSCRIPTION_ID)",
    });
    expect(JSON.stringify(c)).not.toContain("azure-secret-value");
  });

  it("names what an incomplete service principal lacks", () => {
    const c = azureCheck(probeAzure({ AZURE_CLIENT_ID: "cid" }, tempDir()), undefined, (p) => p);
    expect(c).toMatchObject({
      status: "warning",
      detail:
        "service principal incomplete: missing AZURE_TENANT_ID, AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH",
    });
  });

  it("takes the default subscription of `az login` (a file with a byte-order mark)", () => {
    const profile = {
      subscriptions: [
        { id: "s-other", isDefault: false },
        { id: "s-default", isDefault: true },
      ],
    };
    const home = withFiles({ ".azure/azureProfile.json": `\uFEFF${JSON.stringify(profile)}` });
    expect(azureCheck(probeAzure({}, home), undefined, homeRelative(home))).toMatchObject({
      status: "ok",
      detail:
        "credentials: az login (~/.azure/azureProfile.json); subscription s-default (~/.azure/azureProfile.json)",
    });
  });
});

describe("local backend", () => {
  it("follows Docker and the images", () => {
    const ok = check("x", "ok", "");
    expect(localCheck(ok, ok).status).toBe("ok");
    expect(
      localCheck(ok, check("local-images", "warning", "", "run ./scripts/build-instance-image")),
    ).toMatchObject({
      status: "warning",
      hint: "run ./scripts/build-instance-image",
    });
    expect(localCheck(check("docker", "error", "", "run ./scripts/ensure-docker"), ok).status).toBe("error");
  });
});
