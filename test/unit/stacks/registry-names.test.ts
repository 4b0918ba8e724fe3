// Cloud names of the registry resources: within each cloud's limits, region-scoped where the cloud's
// namespace is wider than a region, and never two alike when long names are cut.
import { describe, expect, it } from "vitest";
import {
  awsInstanceProfileName,
  awsRoleName,
  azureRegistryName,
  gcpRepositoryId,
  gcpServiceAccountId,
  imagePath,
  roleAssignmentName,
} from "../../../src/stacks/registry/names.js";
import { qualifiedStackName } from "../../../src/stacks/registry/reference.js";

const long = "a-very-long-dstack-project-name-for-the-research-team-of-the-year";

describe("registry names", () => {
  it("ECR paths and IAM names", () => {
    expect(imagePath({ project: "ML_Team", region: "us-east-1" })).toBe("dstack/ml-team/prebuilt");
    expect(awsRoleName({ project: "main", region: "eu-west-1" })).toBe("dstack-main-eu-west-1-registry");
    const a = awsRoleName({ project: long, region: "us-east-1" });
    const b = awsRoleName({ project: long, region: "us-east-2" });
    expect(a.length).toBeLessThanOrEqual(64);
    expect(a).not.toBe(b);
    expect(awsInstanceProfileName({ project: "main", region: "eu-west-1" })).not.toBe(
      awsRoleName({ project: "main", region: "eu-west-1" }),
    );
  });

  it("GCP ids: a repository per location; a service account of 6-30 characters per region", () => {
    expect(gcpRepositoryId({ project: "main", region: "us-central1" })).toBe("dstack-main");
    const sa = gcpServiceAccountId({ project: long, region: "us-central1" });
    expect(sa).toMatch(/^[a-z][-a-z0-9]{4,28}[a-z0-9]$/);
    expect(sa).not.toBe(gcpServiceAccountId({ project: long, region: "europe-west4" }));
    expect(gcpServiceAccountId({ project: "x", region: "us-central1" })).toMatch(/^dstack-x-[0-9a-f]{6}$/);
  });

  it("Azure: a global registry name of 5-50 letters and digits; role assignments named by stable GUIDs", () => {
    const name = azureRegistryName({ project: long, region: "eastus" }, "/subscriptions/s/rg/id");
    expect(name).toMatch(/^[a-z0-9]{5,50}$/);
    expect(azureRegistryName({ project: "main", region: "eastus" }, "/subscriptions/s1/x")).not.toBe(
      azureRegistryName({ project: "main", region: "eastus" }, "/subscriptions/s2/x"),
    );
    const guid = roleAssignmentName("/subscriptions/s/registries/r", "role");
    expect(guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(roleAssignmentName("/subscriptions/s/registries/r", "role")).toBe(guid);
  });

  it("a registry stack named project/stack gets the pool stack's organization", () => {
    expect(qualifiedStackName("dstack-main-aws-registry/dev", () => "organization")).toBe(
      "organization/dstack-main-aws-registry/dev",
    );
    expect(qualifiedStackName("acme/dstack-main-aws-registry/dev", () => "x")).toBe(
      "acme/dstack-main-aws-registry/dev",
    );
  });
});
