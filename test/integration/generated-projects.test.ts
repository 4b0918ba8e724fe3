// Generated projects (examples/stacks, written by `dstack generate`) run with the plain `pulumi` CLI:
// `stack init`, `preview`, `up`, `destroy` in the project's folder, as a team would after `npm install`.
// The engine is real; the clouds are the fake cloud (test/fake-cloud/SPEC.md) and the Node language host
// is the stand-in of test/language-host (the Go binary cannot be had here). Destroying a pool leaves its
// volumes in the cloud; nothing else is left behind.
import { execFileSync } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pulumiEnv } from "../../src/engine/pulumi-cli.js";
import { fakeCloudEnv, installFakeCloud } from "../fake-cloud/install.js";
import { listResources, type CloudName } from "../fake-cloud/state.js";
import { requirePulumi } from "./pulumi-path.js";

const ROOT = resolve(import.meta.dirname, "../..");
const tmp = mkdtempSync(join(tmpdir(), "dstack-generated-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let env: Record<string, string> = {};

beforeAll(() => {
  const cli = requirePulumi();
  const fakeBin = installFakeCloud(join(tmp, "fake-bin")).binDir;
  const base = pulumiEnv(cli.binDir);
  env = {
    ...(process.env as Record<string, string>),
    ...base,
    PATH: [fakeBin, join(ROOT, "test/language-host"), base.PATH].join(delimiter),
    PULUMI_HOME: join(tmp, "pulumi-home"),
    PULUMI_BACKEND_URL: `file://${join(tmp, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: "generated-projects-test",
    ...fakeCloudEnv(join(tmp, "cloud")),
    // As a GCP user would: the project comes from the environment (or config.yml at generate time).
    GOOGLE_PROJECT: "dstack-test",
  };
  mkdirSync(join(tmp, "state"));
});

/** The example copied to a temp folder, with node_modules as `npm install` would resolve them. */
function checkout(example: string): string {
  const dir = join(tmp, example);
  cpSync(join(ROOT, "examples/stacks", example), dir, { recursive: true });
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(join(ROOT, "node_modules/@pulumi"), join(dir, "node_modules/@pulumi"));
  symlinkSync(join(ROOT, "node_modules/@grpc"), join(dir, "node_modules/@grpc"));
  symlinkSync(ROOT, join(dir, "node_modules/dstack"));
  return dir;
}

function pulumi(dir: string, args: string[]): string {
  try {
    return execFileSync("pulumi", [...args, "--non-interactive"], {
      cwd: dir,
      env,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`pulumi ${args.join(" ")} failed:\n${e.stdout ?? ""}\n${e.stderr ?? ""}`, {
      cause: error,
    });
  }
}

interface PreviewStep {
  op: string;
  urn: string;
}

function previewSteps(dir: string): PreviewStep[] {
  const out = JSON.parse(pulumi(dir, ["preview", "--json"])) as { steps: PreviewStep[] };
  return out.steps;
}

const typeOf = (urn: string): string => urn.split("::")[2]?.split("$").pop() ?? "";

const CASES: {
  example: string;
  cloud: CloudName;
  instanceType: string;
  expected: string[];
  /** What the project's registry stack (registry/) creates. */
  registry: string[];
}[] = [
  {
    example: "aws-train",
    cloud: "aws",
    instanceType: "aws:ec2/instance:Instance",
    expected: ["aws:ec2/securityGroup:SecurityGroup", "aws:ec2/keyPair:KeyPair", "aws:ec2/instance:Instance"],
    registry: [
      "aws:ecr/repository:Repository",
      "aws:iam/role:Role",
      "aws:iam/rolePolicy:RolePolicy",
      "aws:iam/instanceProfile:InstanceProfile",
    ],
  },
  {
    example: "gcp-train",
    cloud: "gcp",
    instanceType: "gcp:compute/instance:Instance",
    expected: ["gcp:compute/firewall:Firewall", "gcp:compute/instance:Instance"],
    registry: [
      "gcp:artifactregistry/repository:Repository",
      "gcp:serviceaccount/account:Account",
      "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
    ],
  },
  {
    example: "azure-train",
    cloud: "azure",
    instanceType: "azure-native:compute:VirtualMachine",
    expected: [
      "azure-native:resources:ResourceGroup",
      "azure-native:network:VirtualNetwork",
      "azure-native:network:Subnet",
      "azure-native:network:NetworkSecurityGroup",
      "azure-native:network:PublicIPAddress",
      "azure-native:network:NetworkInterface",
      "azure-native:compute:VirtualMachine",
    ],
    registry: [
      "azure-native:resources:ResourceGroup",
      "azure-native:managedidentity:UserAssignedIdentity",
      "azure-native:containerregistry:Registry",
      "azure-native:authorization:RoleAssignment",
    ],
  },
];

describe("generated projects with the plain pulumi CLI (fake cloud)", () => {
  for (const c of CASES) {
    it(`${c.example}: preview, up, destroy`, () => {
      const dir = checkout(c.example);
      // The project's registry first (registry/, its own Pulumi project): the pool reads its identity.
      const registry = join(dir, "registry");
      pulumi(registry, ["stack", "init", "dev"]);
      const planned = previewSteps(registry)
        .filter((s) => s.op === "create")
        .map((s) => typeOf(s.urn));
      for (const type of c.registry) expect(planned, type).toContain(type);
      pulumi(registry, ["up", "--yes", "--skip-preview"]);
      const identity = (
        JSON.parse(pulumi(registry, ["stack", "output", "--json"])) as {
          instance_identity: Record<string, string>;
        }
      ).instance_identity;
      const [identityValue] = Object.values(identity);
      expect(identityValue).toBeTruthy();
      expect(
        listResources(join(tmp, "cloud"), c.cloud)
          .map((r) => r.type)
          .sort(),
      ).toEqual([...c.registry].sort());

      pulumi(dir, ["stack", "init", "dev"]);
      const steps = previewSteps(dir);
      const created = steps.filter((s) => s.op === "create").map((s) => typeOf(s.urn));
      for (const type of c.expected) expect(created, type).toContain(type);
      // A preview creates nothing: only the registry's resources exist.
      expect(
        listResources(join(tmp, "cloud"), c.cloud)
          .map((r) => r.type)
          .sort(),
      ).toEqual([...c.registry].sort());

      pulumi(dir, ["up", "--yes", "--skip-preview"]);
      const outputs = JSON.parse(pulumi(dir, ["stack", "output", "--json"])) as {
        instances: { name: string; id: string; public_ip: string; ssh_port: number; spot: boolean }[];
      };
      expect(outputs.instances).toHaveLength(1);
      const [instance] = outputs.instances;
      expect(instance?.name).toBe("train-0");
      expect(instance?.public_ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(instance?.ssh_port).toBe(22);
      const vms = listResources(join(tmp, "cloud"), c.cloud, c.instanceType);
      expect(vms.map((v) => v.id)).toEqual([instance?.id]);
      // Tagged in one place: every VM carries the four dstack tags or labels.
      const tags = JSON.stringify(vms[0]?.inputs);
      for (const key of ["dstack-managed", "dstack-project", "dstack-pool", "dstack-instance"])
        expect(tags).toContain(key);
      // The instance launched with the registry's identity (instance profile, service account, managed identity).
      expect(tags).toContain(identityValue);
      // Nothing private or secret reaches the state.
      const state = readdirSync(join(tmp, "state"), { recursive: true })
        .map(String)
        .filter((f) => f.endsWith(".json"))
        .map((f) => readFileSync(join(tmp, "state", f), "utf8"))
        .join("\n");
      expect(state).not.toMatch(/PRIVATE KEY|generated-projects-test/);

      // A second preview of the same project changes nothing.
      // (The stack reference to the registry is read on every run: a read, not a change.)
      expect(previewSteps(dir).filter((s) => s.op !== "same" && s.op !== "read")).toEqual([]);
      pulumi(dir, ["destroy", "--yes", "--skip-preview"]);
      const left = listResources(join(tmp, "cloud"), c.cloud).filter(
        // Azure keeps the pool's resource group only when it holds retained disks; none here.
        (r) =>
          !r.type.endsWith("ResourceGroup") || r.urn.includes(c.example) || r.urn.includes("-registry::"),
      );
      // What is left is the registry, which outlives its pools; destroying it leaves nothing.
      expect(left.map((r) => r.type).sort()).toEqual([...c.registry].sort());
      pulumi(registry, ["destroy", "--yes", "--skip-preview"]);
      expect(listResources(join(tmp, "cloud"), c.cloud)).toEqual([]);
    }, 240_000);
  }

  it("the repository-root Pulumi.yaml runs the same builder from a spec in stack config", () => {
    // The root project as a user would check it out: Pulumi.yaml, package.json, the built dist/.
    const dir = join(tmp, "root");
    mkdirSync(dir);
    for (const f of ["Pulumi.yaml", "package.json"]) cpSync(join(ROOT, f), join(dir, f));
    symlinkSync(join(ROOT, "dist"), join(dir, "dist"));
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
    const spec = JSON.parse(
      readFileSync(join(ROOT, "examples/stacks/aws-volume/dstack-pool.json"), "utf8"),
    ) as Record<string, unknown>;
    // JSON is YAML: the stack settings file with the compiled spec as an object.
    writeFileSync(join(dir, "Pulumi.vol.yaml"), JSON.stringify({ config: { "dstack:spec": spec } }));
    pulumi(dir, ["stack", "init", "vol"]);
    const created = previewSteps(dir)
      .filter((s) => s.op === "create")
      .map((s) => typeOf(s.urn));
    expect(created).toContain("aws:ebs/volume:Volume");
    pulumi(dir, ["up", "--yes", "--skip-preview"]);
    expect(listResources(join(tmp, "cloud"), "aws", "aws:ebs/volume:Volume")).toHaveLength(1);
    pulumi(dir, ["destroy", "--yes", "--skip-preview"]);
    // A volume outlives the stack that made it.
    expect(listResources(join(tmp, "cloud"), "aws", "aws:ebs/volume:Volume")).toHaveLength(1);
  }, 240_000);
});
