// A project's registry stack on each cloud (issue 14) through the real engine and the fake cloud,
// records only (no booting), from the registry spec a generated example project holds: preview plans exactly the registry's resources and creates nothing; up
// creates them with the names and rights the program gives; a second preview changes nothing; a pool
// given the stack's instance_identity launches its instances with it (the fake refuses an identity that
// does not exist); destroying the pool and then the registry leaves nothing in the fake cloud.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pulumiEnv } from "../../src/engine/pulumi-cli.js";
import { destroy, preview, up, type StackTarget } from "../../src/engine/stack-runner.js";
import { resolveStateBackend } from "../../src/engine/state-backend.js";
import type { PoolSpec } from "../../src/stacks/pool-spec.js";
import { poolStack } from "../../src/stacks/pool-stack.js";
import { cloudRegistryProgram } from "../../src/stacks/registry/program.js";
import type { RegistryIdentity, RegistrySpec } from "../../src/stacks/registry/registry-spec.js";
import { fakeCloudEnv, installFakeCloud } from "../fake-cloud/install.js";
import { listResources, type CloudName } from "../fake-cloud/state.js";
import { requirePulumi } from "./pulumi-path.js";

const ROOT = resolve(import.meta.dirname, "../..");
const tmp = mkdtempSync(join(tmpdir(), "dstack-registry-stacks-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const agentSource = readFileSync(join(ROOT, "dist/agent/dstack-agent.js"), "utf8");
const KEY = readFileSync(join(ROOT, "examples/stacks/team.pub"), "utf8").trim();
const SUBSCRIPTION = "11111111-2222-3333-4444-555555555555";
let env: Record<string, string> = {};

beforeAll(() => {
  const cli = requirePulumi();
  const fakeBin = installFakeCloud(join(tmp, "fake-bin")).binDir;
  env = { PATH: [fakeBin, pulumiEnv(cli.binDir).PATH].join(delimiter) };
});

interface Case {
  cloud: CloudName;
  example: string;
  network: RegistrySpec["network"];
  registry: string[];
  instanceType: string;
  identity: (id: RegistryIdentity) => string | undefined;
  /** The instance's record carries the identity so. */
  carried: (inputs: Record<string, unknown>) => unknown;
  host: RegExp;
}

const CASES: Case[] = [
  {
    cloud: "aws",
    example: "aws-train",
    network: {},
    registry: [
      "aws:ecr/repository:Repository",
      "aws:iam/instanceProfile:InstanceProfile",
      "aws:iam/role:Role",
      "aws:iam/rolePolicy:RolePolicy",
    ],
    instanceType: "aws:ec2/instance:Instance",
    identity: (id) => id.aws_instance_profile,
    carried: (inputs) => inputs.iamInstanceProfile,
    host: /^123456789012\.dkr\.ecr\.eu-north-1\.amazonaws\.com$/,
  },
  {
    cloud: "gcp",
    example: "gcp-train",
    network: { project: "dstack-test" },
    registry: [
      "gcp:artifactregistry/repository:Repository",
      "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
      "gcp:serviceaccount/account:Account",
    ],
    instanceType: "gcp:compute/instance:Instance",
    identity: (id) => id.gcp_service_account,
    carried: (inputs) => (inputs.serviceAccount as { email?: string } | undefined)?.email,
    host: /^[a-z0-9-]+-docker\.pkg\.dev$/,
  },
  {
    cloud: "azure",
    example: "azure-train",
    network: { subscription_id: SUBSCRIPTION },
    registry: [
      "azure-native:authorization:RoleAssignment",
      "azure-native:containerregistry:Registry",
      "azure-native:managedidentity:UserAssignedIdentity",
      "azure-native:resources:ResourceGroup",
    ],
    instanceType: "azure-native:compute:VirtualMachine",
    identity: (id) => id.azure_identity_id,
    carried: (inputs) =>
      (inputs.identity as { userAssignedIdentities?: string[] } | undefined)?.userAssignedIdentities?.[0],
    host: /^dstackmain[0-9a-f]{10}\.azurecr\.io$/,
  },
];

function pool(c: Case, registry?: RegistryIdentity): PoolSpec {
  const spec = JSON.parse(
    readFileSync(join(ROOT, "examples/stacks", c.example, "dstack-pool.json"), "utf8"),
  ) as PoolSpec;
  return {
    ...spec,
    network: { ...spec.network, ...c.network },
    ssh_public_keys: [KEY],
    ...(registry === undefined ? {} : { registry }),
  };
}

function target(c: Case, stack: string, program: StackTarget["program"]): StackTarget {
  return {
    project: "dstack-registry-stacks",
    stack: `${c.cloud}-${stack}`,
    program,
    backend: resolveStateBackend({ home: join(tmp, c.cloud), env: { PULUMI_CONFIG_PASSPHRASE: "registry" } }),
    pulumiBinDir: requirePulumi().binDir,
    env: { ...env, ...fakeCloudEnv(join(tmp, c.cloud, "cloud")) },
  };
}

const cloudSteps = (steps: { op: string; type: string }[]): string[] =>
  steps
    .filter((s) => !s.type.startsWith("pulumi:") && !s.type.startsWith("dstack:"))
    .map((s) => `${s.op} ${s.type}`)
    .sort();

describe.concurrent("registry stacks through the real engine (fake cloud, records only)", () => {
  for (const c of CASES) {
    it(`${c.cloud}: preview, up, no change on a second run, a pool launches with its identity, destroy`, async () => {
      const store = join(tmp, c.cloud, "cloud");
      const region = pool(c).region;
      // The registry spec `dstack generate` wrote beside the example's pool (its registry/ project).
      const generated = JSON.parse(
        readFileSync(join(ROOT, "examples/stacks", c.example, "registry/dstack-registry.json"), "utf8"),
      ) as RegistrySpec;
      expect(generated).toMatchObject({
        registry_spec_version: 1,
        project: "main",
        backend: c.cloud,
        region,
      });
      const spec: RegistrySpec = { ...generated, network: { ...generated.network, ...c.network } };
      const registry = target(c, "registry", cloudRegistryProgram(spec));

      const planned = await preview(registry);
      expect(cloudSteps(planned.steps)).toEqual(c.registry.map((t) => `create ${t}`));
      expect(listResources(store)).toEqual([]);

      const applied = await up(registry);
      expect(
        listResources(store)
          .map((r) => r.type)
          .sort(),
      ).toEqual(c.registry);
      const outputs = applied.outputs as {
        registry: string;
        repository: string;
        instance_identity: RegistryIdentity;
      };
      expect(outputs.registry).toMatch(c.host);
      expect(outputs.repository.startsWith(`${outputs.registry}/`)).toBe(true);
      expect(outputs.repository.endsWith("/prebuilt")).toBe(true);
      const identity = c.identity(outputs.instance_identity);
      expect(Object.keys(outputs.instance_identity)).toHaveLength(1);
      expect(identity).toBeTruthy();

      const again = await preview(registry);
      expect(cloudSteps(again.steps)).toEqual([]);

      // A pool with the registry's identity: its instances launch with it.
      const withRegistry = target(c, "pool", () =>
        poolStack(pool(c, outputs.instance_identity), { agentSource }),
      );
      await up(withRegistry);
      const [instance, ...others] = listResources(store, c.cloud, c.instanceType);
      expect(others).toEqual([]);
      expect(c.carried(instance?.inputs ?? {})).toBe(identity);

      // The same pool without it: only the instances change, and in place (no replacement).
      const without = await preview(target(c, "pool", () => poolStack(pool(c), { agentSource })));
      expect(cloudSteps(without.steps)).toEqual([`update ${c.instanceType}`]);

      await destroy(withRegistry);
      await destroy(registry);
      expect(listResources(store)).toEqual([]);
    }, 300_000);
  }
});
