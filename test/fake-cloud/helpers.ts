// Shared by the fake cloud's unit tests: a configured provider on a temp state directory, and URNs.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { awsModel } from "./aws/model.js";
import { azureModel } from "./azure/model.js";
import type { CloudModel } from "./core/kind.js";
import { DIR_ENV, FakeCloudProvider } from "./core/provider.js";
import type { JsonObject } from "./core/values.js";
import { gcpModel } from "./gcp/model.js";

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A fresh state directory, removed after the test file. */
export function stateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "dstack-fake-cloud-unit-"));
  made.push(dir);
  return dir;
}

export function urn(type: string, name: string): string {
  return `urn:pulumi:dev::proj::${type}::${name}`;
}

function provider<C>(model: CloudModel<C>, config: JsonObject, dir: string): FakeCloudProvider<C> {
  const p = new FakeCloudProvider(model, { [DIR_ENV]: dir });
  p.configure(config);
  return p;
}

export const awsProvider = (dir = stateDir()): FakeCloudProvider<unknown> =>
  provider(
    awsModel,
    { region: "us-east-1", defaultTags: '{"tags":{"team":"ml"}}' },
    dir,
  ) as FakeCloudProvider<unknown>;
export const gcpProvider = (dir = stateDir()): FakeCloudProvider<unknown> =>
  provider(gcpModel, { project: "proj-1", region: "us-central1" }, dir) as FakeCloudProvider<unknown>;
export const azureProvider = (dir = stateDir()): FakeCloudProvider<unknown> =>
  provider(
    azureModel,
    { location: "eastus", subscriptionId: "11111111-2222-3333-4444-555555555555" },
    dir,
  ) as FakeCloudProvider<unknown>;

/** check, then create (not a preview): the id and outputs, as the engine would record them. */
export async function make(
  p: FakeCloudProvider<unknown>,
  type: string,
  name: string,
  news: JsonObject,
): Promise<{ id: string; outs: JsonObject }> {
  const checked = await p.check(urn(type, name), {}, news, "seed");
  if (checked.failures.length > 0) throw new Error(JSON.stringify(checked.failures));
  const res = await p.create(urn(type, name), checked.inputs);
  return { id: res.id, outs: res.outs as JsonObject };
}

export const T = {
  sg: "aws:ec2/securityGroup:SecurityGroup",
  key: "aws:ec2/keyPair:KeyPair",
  instance: "aws:ec2/instance:Instance",
  volume: "aws:ebs/volume:Volume",
  attachment: "aws:ec2/volumeAttachment:VolumeAttachment",
  firewall: "gcp:compute/firewall:Firewall",
  gce: "gcp:compute/instance:Instance",
  tpu: "gcp:tpu/v2Vm:V2Vm",
  disk: "gcp:compute/disk:Disk",
  attachedDisk: "gcp:compute/attachedDisk:AttachedDisk",
  rg: "azure-native:resources:ResourceGroup",
  vnet: "azure-native:network:VirtualNetwork",
  subnet: "azure-native:network:Subnet",
  nsg: "azure-native:network:NetworkSecurityGroup",
  pip: "azure-native:network:PublicIPAddress",
  nic: "azure-native:network:NetworkInterface",
  vm: "azure-native:compute:VirtualMachine",
  azDisk: "azure-native:compute:Disk",
  ecr: "aws:ecr/repository:Repository",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  profile: "aws:iam/instanceProfile:InstanceProfile",
  arRepo: "gcp:artifactregistry/repository:Repository",
  arMember: "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
  serviceAccount: "gcp:serviceaccount/account:Account",
  acr: "azure-native:containerregistry:Registry",
  identity: "azure-native:managedidentity:UserAssignedIdentity",
  roleAssignment: "azure-native:authorization:RoleAssignment",
} as const;
