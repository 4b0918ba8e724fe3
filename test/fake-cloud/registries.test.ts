// The registry kinds (issue 14): ECR repositories and IAM instance roles, Artifact Registry repositories
// with service accounts and IAM members, Azure Container Registries with managed identities and role
// assignments; and the instances that take those identities. Ids and outputs in each cloud's format,
// the references each cloud checks, and which changes replace.
import { describe, expect, it } from "vitest";
import { UNKNOWN, type JsonObject } from "./core/values.js";
import type { FakeCloudProvider } from "./core/provider.js";
import { awsProvider, azureProvider, gcpProvider, make, T, urn } from "./helpers.js";
import { listResources } from "./state.js";

const ami = "ami-0123456789abcdef0";
const EC2_TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
});
const ECR_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" }],
});

async function failures(p: FakeCloudProvider<unknown>, type: string, news: JsonObject): Promise<string[]> {
  const res = await p.check(urn(type, "r"), {}, news, "seed");
  return res.failures.map((f) => `${f.property}: ${f.reason}`);
}

describe("AWS: ECR and IAM", () => {
  it("an ECR repository is its name, with the account's regional registry host in repositoryUrl", async () => {
    const p = awsProvider();
    const preview = await p.create(urn(T.ecr, "repo"), { name: "dstack/main/prebuilt" }, true);
    expect(preview.outs).toMatchObject({
      id: UNKNOWN,
      repositoryUrl: "123456789012.dkr.ecr.us-east-1.amazonaws.com/dstack/main/prebuilt",
    });
    const repo = await make(p, T.ecr, "repo", {
      name: "dstack/main/prebuilt",
      imageScanningConfiguration: { scanOnPush: false },
      forceDelete: true,
      tags: { "dstack-managed": "true" },
    });
    expect(repo.id).toBe("dstack/main/prebuilt");
    expect(repo.outs).toMatchObject({
      arn: "arn:aws:ecr:us-east-1:123456789012:repository/dstack/main/prebuilt",
      registryId: "123456789012",
      imageTagMutability: "MUTABLE",
      tagsAll: { team: "ml", "dstack-managed": "true" },
    });
    await expect(make(p, T.ecr, "again", { name: "dstack/main/prebuilt" })).rejects.toThrow(
      "operation error ECR: CreateRepository, https response error StatusCode: 400, RequestID: ",
    );
    await expect(make(p, T.ecr, "again", { name: "dstack/main/prebuilt" })).rejects.toThrow(
      "api error RepositoryAlreadyExistsException: The repository with name 'dstack/main/prebuilt' already exists in the registry with id '123456789012'",
    );
    await expect(make(p, T.ecr, "bad", { name: "Dstack/Main" })).rejects.toThrow(
      "api error InvalidParameterException: Invalid parameter at 'repositoryName'",
    );
    expect(await failures(p, T.ecr, { imageScanningConfiguration: {} })).toEqual([
      'imageScanningConfiguration.scanOnPush: required property "imageScanningConfiguration.scanOnPush" is missing',
    ]);
  });

  it("a role needs a JSON trust policy; a role policy and an instance profile need their role", async () => {
    const p = awsProvider();
    expect(await failures(p, T.role, {})).toEqual([
      'assumeRolePolicy: required property "assumeRolePolicy" is missing',
    ]);
    expect(await failures(p, T.role, { assumeRolePolicy: "{not json" })).toEqual([
      'assumeRolePolicy: "assumeRolePolicy" contains an invalid JSON policy',
    ]);
    expect(
      await failures(p, T.rolePolicy, {
        role: "r",
        policy: JSON.stringify({ Statement: [{ Action: "x" }] }),
      }),
    ).toEqual(['policy: "policy" Statement[0] needs an Effect of "Allow" or "Deny"']);
    await expect(make(p, T.profile, "p", { name: "dstack-p", role: "missing" })).rejects.toThrow(
      "adding IAM Role (missing) to IAM Instance Profile (dstack-p): operation error IAM: AddRoleToInstanceProfile, https response error StatusCode: 404",
    );
    await expect(
      make(p, T.rolePolicy, "rp", { role: "missing", name: "ecr", policy: ECR_POLICY }),
    ).rejects.toThrow("api error NoSuchEntity: The role with name missing cannot be found.");

    const role = await make(p, T.role, "role", { name: "dstack-main-registry", assumeRolePolicy: EC2_TRUST });
    expect(role.id).toBe("dstack-main-registry");
    expect(role.outs).toMatchObject({
      arn: "arn:aws:iam::123456789012:role/dstack-main-registry",
      path: "/",
    });
    expect(role.outs.uniqueId).toMatch(/^AROA[0-9A-F]{17}$/);
    const policy = await make(p, T.rolePolicy, "rp", { role: role.id, name: "ecr", policy: ECR_POLICY });
    expect(policy.id).toBe("dstack-main-registry:ecr");
    // A role and a profile of one name would share an id, which the store keys by (SPEC, "Not modelled").
    const profile = await make(p, T.profile, "p", { name: "dstack-main-instances", role: role.id });
    expect(profile.outs).toMatchObject({
      arn: "arn:aws:iam::123456789012:instance-profile/dstack-main-instances",
      role: "dstack-main-registry",
    });
    await expect(
      make(p, T.role, "dup", { name: "dstack-main-registry", assumeRolePolicy: EC2_TRUST }),
    ).rejects.toThrow("api error EntityAlreadyExists: Role with name dstack-main-registry already exists.");

    // IAM refuses to delete a role that still has inline policies; once they are gone it goes.
    await expect(p.delete(role.id, urn(T.role, "role"))).rejects.toThrow(
      "deleting IAM Role (dstack-main-registry): operation error IAM: DeleteRole, https response error StatusCode: 409",
    );
    await p.delete(policy.id, urn(T.rolePolicy, "rp"));
    await p.delete(profile.id, urn(T.profile, "p"));
    await p.delete(role.id, urn(T.role, "role"));
  });

  it("an instance takes an existing instance profile only, at create and when it changes", async () => {
    const dir = (await import("./helpers.js")).stateDir();
    const p = awsProvider(dir);
    await expect(
      make(p, T.instance, "i", { ami, instanceType: "t3.micro", iamInstanceProfile: "nope" }),
    ).rejects.toThrow(
      "api error InvalidParameterValue: Value (nope) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name",
    );
    const role = await make(p, T.role, "role", { name: "r1", assumeRolePolicy: EC2_TRUST });
    await make(p, T.profile, "p", { name: "p1", role: role.id });
    const vm = await make(p, T.instance, "i", { ami, instanceType: "t3.micro", iamInstanceProfile: "p1" });
    expect(vm.outs.iamInstanceProfile).toBe("p1");
    const old = { ami, instanceType: "t3.micro" };
    const d = await p.diff(vm.id, urn(T.instance, "i"), old, { ...old, iamInstanceProfile: "p1" }, old);
    expect(d.replaces ?? []).toEqual([]);
    expect(d.changes).toBe(true);
    await expect(
      p.update(vm.id, urn(T.instance, "i"), {}, { ...old, iamInstanceProfile: "p2" }),
    ).rejects.toThrow("Value (p2) for parameter iamInstanceProfile.name is invalid");
    expect(
      listResources(dir, "aws")
        .map((r) => r.type)
        .sort(),
    ).toEqual([T.instance, T.profile, T.role]);
  });
});

describe("GCP: Artifact Registry and service accounts", () => {
  it("a Docker repository lives in a location and has its registry URI", async () => {
    const p = gcpProvider();
    expect(await failures(p, T.arRepo, {})).toEqual([
      'repositoryId: required property "repositoryId" is missing',
      'format: required property "format" is missing',
    ]);
    expect(await failures(p, T.arRepo, { repositoryId: "r", format: "OCI" })).toEqual([
      'format: "format" is "OCI"; expected one of "DOCKER", "MAVEN", "NPM", "PYTHON", "APT", "YUM", "GO", "KFP", "GENERIC"',
    ]);
    const repo = await make(p, T.arRepo, "repo", {
      repositoryId: "dstack-main",
      location: "europe-west4",
      format: "DOCKER",
      labels: { "dstack-managed": "true" },
    });
    expect(repo.id).toBe("projects/proj-1/locations/europe-west4/repositories/dstack-main");
    expect(repo.outs).toMatchObject({
      name: "dstack-main",
      registryUri: "europe-west4-docker.pkg.dev/proj-1/dstack-main",
      mode: "STANDARD_REPOSITORY",
      effectiveLabels: { "dstack-managed": "true" },
    });
    await expect(make(p, T.arRepo, "bad", { repositoryId: "Bad_Id", format: "DOCKER" })).rejects.toThrow(
      "Error creating Repository: googleapi: Error 400: Invalid repository ID 'Bad_Id'",
    );
    await expect(
      make(p, T.arRepo, "dup", { repositoryId: "dstack-main", location: "europe-west4", format: "DOCKER" }),
    ).rejects.toThrow(
      "Error creating Repository: googleapi: Error 409: The resource 'projects/proj-1/locations/europe-west4/repositories/dstack-main' already exists, alreadyExists",
    );
    const d = await p.diff(
      repo.id,
      urn(T.arRepo, "repo"),
      { repositoryId: "a", format: "DOCKER", description: "x" },
      { repositoryId: "a", format: "DOCKER", description: "y" },
      undefined,
    );
    expect(d.replaces ?? []).toEqual([]);
    const r = await p.diff(
      repo.id,
      urn(T.arRepo, "repo"),
      { repositoryId: "a", format: "DOCKER" },
      { repositoryId: "a", format: "DOCKER", location: "us-east1" },
      undefined,
    );
    expect(r.replaces).toEqual(["location"]);
  });

  it("a service account's email comes from its account id and project; a member needs both ends to exist", async () => {
    const dir = (await import("./helpers.js")).stateDir();
    const p = gcpProvider(dir);
    const sa = await make(p, T.serviceAccount, "sa", { accountId: "dstack-main-builds" });
    expect(sa.id).toBe("projects/proj-1/serviceAccounts/dstack-main-builds@proj-1.iam.gserviceaccount.com");
    expect(sa.outs).toMatchObject({
      email: "dstack-main-builds@proj-1.iam.gserviceaccount.com",
      member: "serviceAccount:dstack-main-builds@proj-1.iam.gserviceaccount.com",
    });
    expect(sa.outs.uniqueId).toMatch(/^\d{21}$/);
    await expect(make(p, T.serviceAccount, "short", { accountId: "ab" })).rejects.toThrow(
      "Error creating service account: googleapi: Error 400: Invalid value for field 'accountId': 'ab'",
    );
    const member = {
      repository: "dstack-main",
      location: "us-central1",
      role: "roles/artifactregistry.writer",
      member: "serviceAccount:dstack-main-builds@proj-1.iam.gserviceaccount.com",
    };
    expect(await failures(p, T.arMember, { ...member, role: "artifactregistry.writer" })).toEqual([
      'role: "role" is "artifactregistry.writer"; expected roles/<name> or a custom role\'s path',
    ]);
    await expect(make(p, T.arMember, "m", member)).rejects.toThrow(
      'Error applying IAM policy for artifactregistry repository "projects/proj-1/locations/us-central1/repositories/dstack-main": googleapi: Error 404: Requested entity was not found., notFound',
    );
    const repo = await make(p, T.arRepo, "repo", { repositoryId: "dstack-main", format: "DOCKER" });
    await expect(
      make(p, T.arMember, "m", { ...member, member: "serviceAccount:ghost@proj-1.iam.gserviceaccount.com" }),
    ).rejects.toThrow(
      "Error 400: Service account ghost@proj-1.iam.gserviceaccount.com does not exist., badRequest",
    );
    const m = await make(p, T.arMember, "m", member);
    expect(m.id).toBe(
      "projects/proj-1/locations/us-central1/repositories/dstack-main/roles/artifactregistry.writer/serviceAccount:dstack-main-builds@proj-1.iam.gserviceaccount.com",
    );
    expect(m.outs.repository).toBe(repo.id);
    // Deleting the repository deletes its IAM policy with it.
    await p.delete(repo.id, urn(T.arRepo, "repo"));
    expect(listResources(dir, "gcp").map((r) => r.type)).toEqual([T.serviceAccount]);
  });

  it("an instance runs as an existing service account only (or a project's default compute account)", async () => {
    const p = gcpProvider();
    const base = {
      machineType: "e2-standard-4",
      zone: "us-central1-a",
      bootDisk: { initializeParams: { image: "debian-12" } },
      networkInterfaces: [{ network: "default" }],
    };
    expect(await failures(p, T.gce, { ...base, name: "vm", serviceAccount: { email: "x" } })).toEqual([
      'serviceAccount.scopes: required property "serviceAccount.scopes" is missing',
    ]);
    const sa = { email: "dstack-main-builds@proj-1.iam.gserviceaccount.com", scopes: ["cloud-platform"] };
    await expect(make(p, T.gce, "vm", { ...base, name: "vm", serviceAccount: sa })).rejects.toThrow(
      "Error creating instance: googleapi: Error 400: The resource 'projects/proj-1/serviceAccounts/dstack-main-builds@proj-1.iam.gserviceaccount.com' was not found, notFound",
    );
    await make(p, T.gce, "vm0", {
      ...base,
      name: "vm0",
      serviceAccount: {
        email: "123456789-compute@developer.gserviceaccount.com",
        scopes: ["cloud-platform"],
      },
    });
    await make(p, T.serviceAccount, "sa", { accountId: "dstack-main-builds" });
    const vm = await make(p, T.gce, "vm", { ...base, name: "vm", serviceAccount: sa });
    expect(vm.outs.serviceAccount).toEqual(sa);
  });
});

describe("Azure: container registry, managed identity, role assignment", () => {
  const group = async (p: FakeCloudProvider<unknown>): Promise<string> =>
    (await make(p, T.rg, "rg", { resourceGroupName: "rg1" })).outs.name as string;

  it("a registry's name is global, 5-50 letters and digits; its login server is <name>.azurecr.io", async () => {
    const p = azureProvider();
    await expect(
      make(p, T.acr, "acr", { resourceGroupName: "rg1", registryName: "dstackmain", sku: { name: "Basic" } }),
    ).rejects.toThrow(`Code="ResourceGroupNotFound" Message="Resource group 'rg1' could not be found."`);
    await group(p);
    expect(await failures(p, T.acr, { resourceGroupName: "rg1", sku: { name: "Free" } })).toEqual([
      'sku.name: "sku.name" is "Free"; expected one of "Basic", "Standard", "Premium"',
    ]);
    const acr = await make(p, T.acr, "acr", {
      resourceGroupName: "rg1",
      registryName: "dstackMain01",
      sku: { name: "Basic" },
      adminUserEnabled: false,
    });
    expect(acr.id).toBe(
      "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg1/providers/Microsoft.ContainerRegistry/registries/dstackMain01",
    );
    expect(acr.outs).toMatchObject({
      loginServer: "dstackmain01.azurecr.io",
      adminUserEnabled: false,
      location: "eastus",
    });
    await expect(
      make(p, T.acr, "bad", {
        resourceGroupName: "rg1",
        registryName: "dstack-main",
        sku: { name: "Basic" },
      }),
    ).rejects.toThrow(`Code="InvalidParameter" Message="Registry name 'dstack-main' is invalid`);
    await make(p, T.rg, "rg2", { resourceGroupName: "rg2" });
    await expect(
      make(p, T.acr, "other", {
        resourceGroupName: "rg2",
        registryName: "DSTACKMAIN01",
        sku: { name: "Basic" },
      }),
    ).rejects.toThrow(`Code="AlreadyInUse" Message="The registry DSTACKMAIN01 is already in use."`);
  });

  it("a role assignment is named by a GUID, needs its scope and principal, and cannot be made twice", async () => {
    const p = azureProvider();
    await group(p);
    const acr = await make(p, T.acr, "acr", {
      resourceGroupName: "rg1",
      registryName: "dstackmain",
      sku: { name: "Basic" },
    });
    const identity = await make(p, T.identity, "id", {
      resourceGroupName: "rg1",
      resourceName: "dstack-main-registry",
    });
    expect(identity.id).toBe(
      "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg1/providers/Microsoft.ManagedIdentity/userAssignedIdentities/dstack-main-registry",
    );
    expect(identity.outs.principalId).toMatch(/^[0-9a-f-]{36}$/);
    const role =
      "/subscriptions/11111111-2222-3333-4444-555555555555/providers/Microsoft.Authorization/roleDefinitions/8311e382-0749-4cb8-b61a-304f252e45ec";
    const checked = await p.check(
      urn(T.roleAssignment, "push"),
      {},
      { principalId: "p", roleDefinitionId: role, scope: acr.id },
      "seed",
    );
    expect(checked.inputs.roleAssignmentName).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const args = {
      principalId: identity.outs.principalId as string,
      roleDefinitionId: role,
      scope: acr.id,
      principalType: "ServicePrincipal",
    };
    await expect(make(p, T.roleAssignment, "x", { ...args, roleAssignmentName: "push" })).rejects.toThrow(
      `Code="InvalidRoleAssignmentId" Message="The role assignment ID 'push' is not valid. The role assignment ID must be a GUID."`,
    );
    await expect(
      make(p, T.roleAssignment, "x", { ...args, principalId: "00000000-0000-4000-a000-000000000000" }),
    ).rejects.toThrow(
      `Code="PrincipalNotFound" Message="Principal 00000000-0000-4000-a000-000000000000 does not exist in the directory`,
    );
    await expect(make(p, T.roleAssignment, "x", { ...args, scope: `${acr.id}x` })).rejects.toThrow(
      `Code="ResourceNotFound"`,
    );
    const assignment = await make(p, T.roleAssignment, "push", args);
    expect(assignment.id).toMatch(
      new RegExp(`^${acr.id}/providers/Microsoft.Authorization/roleAssignments/[0-9a-f-]{36}$`),
    );
    await expect(make(p, T.roleAssignment, "again", args)).rejects.toThrow(
      `Code="RoleAssignmentExists" Message="The role assignment already exists."`,
    );
    const d = await p.diff(
      assignment.id,
      urn(T.roleAssignment, "push"),
      args,
      { ...args, principalId: "other" },
      args,
    );
    expect(d.replaces).toEqual(["principalId"]);
  });

  it("a VM takes existing user-assigned identities only, and reports them keyed by id", async () => {
    const p = azureProvider();
    await group(p);
    const vnet = await make(p, T.vnet, "vnet", { resourceGroupName: "rg1", virtualNetworkName: "vnet" });
    const subnet = await make(p, T.subnet, "subnet", {
      resourceGroupName: "rg1",
      virtualNetworkName: vnet.outs.name as string,
      subnetName: "s",
      addressPrefix: "10.0.0.0/24",
    });
    const nic = await make(p, T.nic, "nic", {
      resourceGroupName: "rg1",
      networkInterfaceName: "nic",
      ipConfigurations: [{ name: "primary", subnet: { id: subnet.id } }],
    });
    const identityId =
      "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg1/providers/Microsoft.ManagedIdentity/userAssignedIdentities/builds";
    const vm = (name: string): JsonObject => ({
      resourceGroupName: "rg1",
      vmName: name,
      hardwareProfile: { vmSize: "Standard_D4s_v5" },
      storageProfile: { osDisk: { createOption: "FromImage" } },
      networkProfile: { networkInterfaces: [{ id: nic.id }] },
      identity: { type: "UserAssigned", userAssignedIdentities: [identityId] },
    });
    expect(await failures(p, T.vm, { ...vm("v"), identity: { type: "Managed" } })).toEqual([
      'identity.type: "identity.type" is "Managed"; expected one of "SystemAssigned", "UserAssigned", "SystemAssigned, UserAssigned", "None"',
    ]);
    await expect(make(p, T.vm, "vm", vm("vm"))).rejects.toThrow(`Code="FailedIdentityOperation"`);
    const identity = await make(p, T.identity, "builds", {
      resourceGroupName: "rg1",
      resourceName: "builds",
    });
    const created = await make(p, T.vm, "vm", vm("vm"));
    expect(created.outs.identity).toEqual({
      type: "UserAssigned",
      userAssignedIdentities: {
        [identityId]: { principalId: identity.outs.principalId, clientId: identity.outs.clientId },
      },
    });
  });
});
