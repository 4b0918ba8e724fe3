// The registry stack programs (issue 14) under setMocks: per cloud, which resources a registry spec
// turns into, with which names, rights and tags, and what the stack exports for pools to use.
import { describe, expect, it } from "vitest";
import { checkRegistrySpec, registryProjectName } from "../../../src/stacks/registry/registry-spec.js";
import { buildRegistry, installMocks, one, registrySpec } from "./registry-mocks.js";

await installMocks();

const TAGS = { "dstack-managed": "true", "dstack-project": "main", "dstack-registry": "true" };
const typesOf = (resources: { type: string }[]): string[] => resources.map((r) => r.type).sort();

describe("AWS: an ECR repository and an instance profile allowed to pull and push in it", async () => {
  const { outputs, resources } = await buildRegistry(registrySpec());

  it("registers the component, its provider, the repository, the role, its policy and the profile", () => {
    expect(typesOf(resources)).toEqual([
      "aws:ecr/repository:Repository",
      "aws:iam/instanceProfile:InstanceProfile",
      "aws:iam/role:Role",
      "aws:iam/rolePolicy:RolePolicy",
      "dstack:aws:Registry",
      "pulumi:providers:aws",
    ]);
    const provider = one(resources, "pulumi:providers:aws");
    expect(provider.inputs).toMatchObject({ region: "us-east-1" });
    for (const r of resources.filter((x) => x.custom && !x.type.startsWith("pulumi:providers")))
      expect(r.provider, r.type).toMatch(/^urn:.*pulumi:providers:aws::registry-aws::/);
  });

  it("the repository is dstack/<project>/prebuilt, unscanned, deletable with its images, tagged", () => {
    expect(one(resources, "aws:ecr/repository:Repository").inputs).toMatchObject({
      name: "dstack/main/prebuilt",
      imageScanningConfiguration: { scanOnPush: false },
      forceDelete: true,
      tags: TAGS,
    });
  });

  it("the role is for EC2 only; its policy allows a login anywhere and pull/push in this repository alone", () => {
    const role = one(resources, "aws:iam/role:Role").inputs;
    expect(role.name).toBe("dstack-main-us-east-1-registry");
    expect(JSON.parse(String(role.assumeRolePolicy))).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    const policy = one(resources, "aws:iam/rolePolicy:RolePolicy").inputs;
    expect(policy.role).toBe("dstack-main-us-east-1-registry");
    const doc = JSON.parse(String(policy.policy)) as { Statement: { Action: string[]; Resource: string }[] };
    expect(doc.Statement).toEqual([
      { Sid: "Login", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
      expect.objectContaining({
        Sid: "PullPush",
        Resource: "arn:aws:ecr:us-east-1:123456789012:repository/dstack/main/prebuilt",
      }),
    ]);
    const actions = doc.Statement[1]?.Action ?? [];
    expect(actions).toEqual(
      expect.arrayContaining([
        "ecr:BatchGetImage",
        "ecr:GetDownloadUrlForLayer",
        "ecr:PutImage",
        "ecr:CompleteLayerUpload",
      ]),
    );
    expect(actions.some((a) => a.includes("Delete") || a === "ecr:*")).toBe(false);
    expect(one(resources, "aws:iam/instanceProfile:InstanceProfile").inputs).toMatchObject({
      name: "dstack-main-us-east-1-instances",
      role: "dstack-main-us-east-1-registry",
      tags: TAGS,
    });
  });

  it("exports the registry host, the repository and the instance profile", () => {
    expect(outputs).toEqual({
      registry: "123456789012.dkr.ecr.us-east-1.amazonaws.com",
      repository: "123456789012.dkr.ecr.us-east-1.amazonaws.com/dstack/main/prebuilt",
      instance_identity: { aws_instance_profile: "dstack-main-us-east-1-instances" },
    });
  });
});

describe("GCP: an Artifact Registry repository and a service account that writes it", async () => {
  const { outputs, resources } = await buildRegistry(
    registrySpec({ backend: "gcp", region: "europe-west4", network: { project: "gproj" } }),
  );

  it("registers the repository, the account and its writer role on that repository only", () => {
    expect(typesOf(resources)).toEqual([
      "dstack:gcp:Registry",
      "gcp:artifactregistry/repository:Repository",
      "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
      "gcp:serviceaccount/account:Account",
      "pulumi:providers:gcp",
    ]);
    expect(one(resources, "pulumi:providers:gcp").inputs).toMatchObject({
      project: "gproj",
      region: "europe-west4",
    });
    expect(one(resources, "gcp:artifactregistry/repository:Repository").inputs).toMatchObject({
      repositoryId: "dstack-main",
      location: "europe-west4",
      format: "DOCKER",
      labels: TAGS,
    });
    const account = one(resources, "gcp:serviceaccount/account:Account").inputs;
    expect(account.accountId).toMatch(/^dstack-main-[0-9a-f]{6}$/);
    expect(one(resources, "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember").inputs).toEqual({
      repository: "dstack-main",
      location: "europe-west4",
      project: "gproj",
      role: "roles/artifactregistry.writer",
      member: `serviceAccount:${String(account.accountId)}@gproj.iam.gserviceaccount.com`,
    });
  });

  it("exports the regional Docker host, the repository and the service account", () => {
    expect(outputs.registry).toBe("europe-west4-docker.pkg.dev");
    expect(outputs.repository).toBe("europe-west4-docker.pkg.dev/gproj/dstack-main/prebuilt");
    expect(outputs.instance_identity.gcp_service_account).toMatch(
      /^dstack-main-[0-9a-f]{6}@gproj\.iam\.gserviceaccount\.com$/,
    );
  });
});

describe("Azure: a Basic container registry without admin user, and an identity with AcrPush on it", async () => {
  const { outputs, resources } = await buildRegistry(
    registrySpec({ backend: "azure", region: "westeurope", network: { subscription_id: "sub-1" } }),
  );

  it("registers a group of its own, the identity, the registry and the role assignment", () => {
    expect(typesOf(resources)).toEqual([
      "azure-native:authorization:RoleAssignment",
      "azure-native:containerregistry:Registry",
      "azure-native:managedidentity:UserAssignedIdentity",
      "azure-native:resources:ResourceGroup",
      "dstack:azure:Registry",
      "pulumi:providers:azure-native",
    ]);
    expect(one(resources, "azure-native:resources:ResourceGroup").inputs).toMatchObject({
      resourceGroupName: "dstack-main-registry-westeurope",
      location: "westeurope",
      tags: TAGS,
    });
    const registry = one(resources, "azure-native:containerregistry:Registry").inputs;
    expect(registry).toMatchObject({ sku: { name: "Basic" }, adminUserEnabled: false, tags: TAGS });
    expect(registry.registryName).toMatch(/^dstackmain[0-9a-f]{10}$/);
  });

  it("grants AcrPush (8311e382-…) in the registry's subscription, to the identity, at the registry", () => {
    const registry = one(resources, "azure-native:containerregistry:Registry").inputs;
    const scope = `/subscriptions/sub-1/resourceGroups/dstack-main-registry-westeurope/providers/Microsoft.ContainerRegistry/registries/${String(registry.registryName)}`;
    const assignment = one(resources, "azure-native:authorization:RoleAssignment").inputs;
    expect(assignment).toMatchObject({
      scope,
      roleDefinitionId:
        "/subscriptions/sub-1/providers/Microsoft.Authorization/roleDefinitions/8311e382-0749-4cb8-b61a-304f252e45ec",
      principalId: "11111111-0000-4000-a000-000000000000",
      principalType: "ServicePrincipal",
    });
    expect(assignment.roleAssignmentName).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it("exports the login server, the repository and the identity's id", () => {
    expect(outputs.registry).toMatch(/^dstackmain[0-9a-f]{10}\.azurecr\.io$/);
    expect(outputs.repository).toBe(`${outputs.registry}/prebuilt`);
    expect(outputs.instance_identity).toEqual({
      azure_identity_id:
        "/subscriptions/sub-1/resourceGroups/dstack-main-registry-westeurope/providers/Microsoft.ManagedIdentity/userAssignedIdentities/dstack-main-instances",
    });
  });

  it("uses a configured resource group instead of creating one", async () => {
    const { resources: inGroup } = await buildRegistry(
      registrySpec({ backend: "azure", region: "westeurope", network: { resource_group: "team-rg" } }),
    );
    expect(inGroup.some((r) => r.type === "azure-native:resources:ResourceGroup")).toBe(false);
    expect(one(inGroup, "azure-native:managedidentity:UserAssignedIdentity").inputs.resourceGroupName).toBe(
      "team-rg",
    );
  });
});

describe("the registry spec", () => {
  it("is refused at another version or backend, with what to do", () => {
    expect(() => checkRegistrySpec({ ...registrySpec(), registry_spec_version: 2 })).toThrow(
      "registry spec version 2 is not 1: regenerate the stack with this dstack (dstack generate)",
    );
    expect(() => checkRegistrySpec({ ...registrySpec(), backend: "local" })).toThrow(
      'unknown backend "local"',
    );
  });

  it("names its Pulumi project per dstack project and backend", () => {
    expect(registryProjectName({ project: "Main", backend: "gcp" })).toBe("dstack-main-gcp-registry");
  });
});
