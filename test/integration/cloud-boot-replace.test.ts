// A booted instance through an inline program and the real engine: raw `userData` reaches cloud-init
// as written; a change with userDataReplaceOnChange replaces the instance in the engine's order (create
// the new one, then delete the old: both containers exist for a moment, then only the new), the new
// container boots the new user data at a new address, the old one's address is freed; destroy leaves
// no container. An update that does not replace reboots nothing.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { EngineEvent, PulumiFn, Stack } from "@pulumi/pulumi/automation/index.js";
import { Provider as AwsProvider } from "@pulumi/aws/provider.js";
import * as ec2 from "@pulumi/aws/ec2/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pulumiEnv, pulumiRoot } from "../../src/engine/pulumi-cli.js";
import { fakeCloudEnv, installFakeCloud } from "../fake-cloud/install.js";
import { Store } from "../fake-cloud/core/store.js";
import { bootedContainers, listResources, removeBootedContainers } from "../fake-cloud/state.js";
import { docker, localImages, requireDockerImages } from "./docker.js";
import { requirePulumi } from "./pulumi-path.js";

const tmp = mkdtempSync(join(tmpdir(), "dstack-cloud-boot-replace-"));
const cloud = join(tmp, "cloud");
let fakeBin = "";
beforeAll(() => {
  requirePulumi();
  requireDockerImages(localImages().instance);
  fakeBin = installFakeCloud(join(tmp, "fake-bin")).binDir;
});
afterAll(() => {
  removeBootedContainers(cloud);
  rmSync(tmp, { recursive: true, force: true });
});

const settings = { marker: "first", instanceType: "t3.micro" };
const userData = (): string =>
  `#cloud-config\nwrite_files:\n  - path: /etc/marker\n    content: ${settings.marker}\n`;

const program: PulumiFn = () => {
  const provider = new AwsProvider("aws", { region: "us-east-1" });
  const vm = new ec2.Instance(
    "vm",
    {
      ami: "ami-0123456789abcdef0",
      instanceType: settings.instanceType,
      userData: userData(),
      userDataReplaceOnChange: true,
    },
    { provider },
  );
  return Promise.resolve({ id: vm.id, publicIp: vm.publicIp });
};

async function openStack(): Promise<Stack> {
  const cli = requirePulumi();
  const { LocalWorkspace, PulumiCommand } = pulumi.automation;
  const state = join(tmp, "state");
  mkdirSync(state, { recursive: true });
  const root = pulumiRoot(cli.binDir);
  const env = pulumiEnv(cli.binDir);
  return LocalWorkspace.createOrSelectStack(
    { stackName: "dev", projectName: "boot-replace", program },
    {
      pulumiCommand: await PulumiCommand.get(root === undefined ? {} : { root }),
      pulumiHome: join(tmp, "home"),
      envVars: {
        ...env,
        PATH: `${fakeBin}${delimiter}${env.PATH}`,
        PULUMI_BACKEND_URL: `file://${state}`,
        PULUMI_CONFIG_PASSPHRASE: "test",
        ...fakeCloudEnv(cloud, { boot: true }),
      },
    },
  );
}

const marker = (container: string): string => docker(["exec", container, "cat", "/etc/marker"]).trim();
const published = (container: string): string => docker(["port", container, "22/tcp"]).trim();

describe("a booted instance through the engine: replace and destroy", () => {
  it("replaces create-before-delete with a new container booting the new user data; destroy removes it", async () => {
    const stack = await openStack();
    const first = await stack.up();
    const [old] = bootedContainers(cloud);
    expect(bootedContainers(cloud)).toHaveLength(1);
    expect(marker(old ?? "")).toBe("first");
    expect(published(old ?? "")).toBe(`${String(first.outputs.publicIp?.value)}:22`);

    settings.instanceType = "t3.large"; // an update: records only, the same container
    await stack.up();
    expect(bootedContainers(cloud)).toEqual([old]);

    settings.marker = "second";
    const events: EngineEvent[] = [];
    const second = await stack.up({ onEvent: (e) => events.push(e) });
    const ops = events
      .map((e) => e.resOutputsEvent?.metadata)
      .filter((m) => m?.type === "aws:ec2/instance:Instance")
      .map((m) => m?.op);
    expect(ops).toEqual(["create-replacement", "replace", "delete-replaced"]);
    const [fresh] = bootedContainers(cloud);
    expect(bootedContainers(cloud)).toHaveLength(1);
    expect(fresh).not.toBe(old);
    expect(marker(fresh ?? "")).toBe("second");
    expect(second.outputs.publicIp?.value).not.toBe(first.outputs.publicIp?.value);
    expect(published(fresh ?? "")).toBe(`${String(second.outputs.publicIp?.value)}:22`);
    // Only the new instance holds an address now.
    expect(Object.values(new Store(cloud).read().meta.addresses ?? {})).toEqual([
      second.outputs.publicIp?.value,
    ]);

    await stack.destroy();
    expect(bootedContainers(cloud)).toEqual([]);
    expect(listResources(cloud)).toEqual([]);
    expect(new Store(cloud).read().meta.addresses).toEqual({});
  }, 300_000);
});
