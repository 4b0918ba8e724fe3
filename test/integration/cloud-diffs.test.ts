// Structured diffs of cloud pools through the real engine and the fake cloud, as `dstack apply` computes
// them (src/engine/stack-runner.ts + plan.ts): spot -> on-demand replaces the instance, a larger volume
// is an in-place update, a new port changes only the firewall, and destroying the pool leaves its volume.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PlanStep } from "../../src/engine/plan.js";
import { pulumiEnv } from "../../src/engine/pulumi-cli.js";
import { destroy, preview, up, type StackTarget } from "../../src/engine/stack-runner.js";
import { resolveStateBackend } from "../../src/engine/state-backend.js";
import type { PoolSpec } from "../../src/stacks/pool-spec.js";
import { poolStack } from "../../src/stacks/pool-stack.js";
import { fakeCloudEnv, installFakeCloud } from "../fake-cloud/install.js";
import { listResources } from "../fake-cloud/state.js";
import { requirePulumi } from "./pulumi-path.js";

const ROOT = resolve(import.meta.dirname, "../..");
const tmp = mkdtempSync(join(tmpdir(), "dstack-cloud-diffs-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const agentSource = readFileSync(join(ROOT, "dist/agent/dstack-agent.js"), "utf8");
const KEY = readFileSync(join(ROOT, "examples/stacks/team.pub"), "utf8").trim();
let env: Record<string, string> = {};

beforeAll(() => {
  const cli = requirePulumi();
  const fakeBin = installFakeCloud(join(tmp, "fake-bin")).binDir;
  env = {
    PATH: [fakeBin, pulumiEnv(cli.binDir).PATH].join(delimiter),
    ...fakeCloudEnv(join(tmp, "cloud")),
  };
});

function example(name: string): PoolSpec {
  const spec = JSON.parse(
    readFileSync(join(ROOT, "examples/stacks", name, "dstack-pool.json"), "utf8"),
  ) as PoolSpec;
  return { ...spec, ssh_public_keys: [KEY] };
}

function target(spec: PoolSpec): StackTarget {
  return {
    project: "dstack-diffs",
    stack: `${spec.backend}-${spec.pool}`,
    program: () => poolStack(spec, { agentSource }),
    backend: resolveStateBackend({ home: tmp, env: { PULUMI_CONFIG_PASSPHRASE: "diffs" } }),
    pulumiBinDir: requirePulumi().binDir,
    env,
  };
}

const changes = (steps: PlanStep[]): string[] => steps.map((s) => `${s.op} ${s.type}`).sort();

describe("cloud pool diffs through the real engine (fake cloud)", () => {
  it("AWS: spot replaces, a larger volume updates, a new port touches only the security group; destroy keeps the volume", async () => {
    const base = example("aws-finetune");
    await up(target(base));
    const volumes = listResources(join(tmp, "cloud"), "aws", "aws:ebs/volume:Volume");
    expect(volumes).toHaveLength(1);

    const spot = await preview(
      target({ ...base, instances: base.instances.map((i) => ({ ...i, spot: true })) }),
    );
    const instance = spot.steps.find((s) => s.type === "aws:ec2/instance:Instance");
    expect(instance?.op).toBe("replace");
    expect(instance?.replaceReasons).toContain("instanceMarketOptions");

    const bigger = await preview(
      target({ ...base, volumes: base.volumes.map((v) => ({ ...v, size_gb: 200 })) }),
    );
    expect(changes(bigger.steps)).toEqual(["update aws:ebs/volume:Volume"]);
    expect(bigger.steps[0]?.changed).toContain("size");

    const port = await preview(target({ ...base, ports: [8888] }));
    expect(changes(port.steps)).toEqual(["update aws:ec2/securityGroup:SecurityGroup"]);

    await destroy(target(base));
    const left = listResources(join(tmp, "cloud"), "aws");
    expect(left.map((r) => r.type)).toEqual(["aws:ebs/volume:Volume"]);
    expect(left[0]?.id).toBe(volumes[0]?.id);
  }, 240_000);

  it("GCP: spot -> on-demand replaces; a new port changes only the firewall; a TPU pool comes and goes", async () => {
    const train = { ...example("gcp-train"), network: { project: "dstack-test" } };
    await up(target(train));
    const onDemand = await preview(
      target({ ...train, instances: train.instances.map((i) => ({ ...i, spot: false })) }),
    );
    expect(onDemand.steps.find((s) => s.type === "gcp:compute/instance:Instance")?.op).toBe("replace");
    const port = await preview(target({ ...train, ports: [...train.ports, 8888] }));
    expect(changes(port.steps)).toEqual(["update gcp:compute/firewall:Firewall"]);
    await destroy(target(train));

    const tpu = { ...example("gcp-tpu"), network: { project: "dstack-test" } };
    const result = await up(target(tpu));
    expect(result.plan.steps.map((s) => s.type)).toContain("gcp:tpu/v2Vm:V2Vm");
    expect(listResources(join(tmp, "cloud"), "gcp", "gcp:tpu/v2Vm:V2Vm")).toHaveLength(1);
    await destroy(target(tpu));
    expect(listResources(join(tmp, "cloud"), "gcp")).toEqual([]);
  }, 240_000);

  it("Azure: spot -> on-demand replaces the VM only; a new port changes only the security group", async () => {
    const base = example("azure-train");
    await up(target(base));
    const onDemand = await preview(
      target({ ...base, instances: base.instances.map((i) => ({ ...i, spot: false })) }),
    );
    expect(changes(onDemand.steps)).toEqual(["replace azure-native:compute:VirtualMachine"]);
    const port = await preview(target({ ...base, ports: [...base.ports, 8888] }));
    expect(changes(port.steps)).toEqual(["update azure-native:network:NetworkSecurityGroup"]);
    await destroy(target(base));
    expect(listResources(join(tmp, "cloud"), "azure")).toEqual([]);
  }, 240_000);
});
