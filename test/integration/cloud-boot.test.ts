// The fake cloud boots instances (issue 11, part 3): `dstack apply` of a fleet on aws, gcp and azure
// against the fake cloud with booting on starts a container per instance that boots the exact user data
// the stack gave the cloud through real cloud-init, answers SSH at the stack's public_ip:22 as its
// ssh_user, and runs the agent; the agent's runs share the instance's network; a spot eviction removes
// the container; `dstack delete` leaves no container, nothing in the fake cloud, nothing in the state.
import { createHash, randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "ssh2";
import type { JobSpec } from "../../src/runtime-agent/spec.js";
import type { RunView } from "../../src/runtime-agent/run-view.js";
import { exec } from "../../src/ssh/connect.js";
import { BASE_IMAGE } from "../../src/stacks/local/images.js";
import { storeLabel } from "../fake-cloud/boot/options.js";
import { installFakeCloud } from "../fake-cloud/install.js";
import { bootedContainers, listResources, removeResource, type StoredResource } from "../fake-cloud/state.js";
import { cliSync, runCli } from "./e2e-cli.js";
import { docker, localImages, requireDockerImages } from "./docker.js";
import { until } from "../until.js";
import {
  agentCall,
  bootingUser,
  cleanUp,
  containerExists,
  fleetInstances,
  inspectContainer,
  sshTo,
  type FleetInstance,
} from "./fake-cloud-boot.js";
import { instancesIn, orphans, stackStates, type FleetUser } from "./fleet-e2e.js";
import { requirePulumi } from "./pulumi-path.js";

const tmp = mkdtempSync(join(tmpdir(), "dstack-cloud-boot-"));
const repo = join(tmp, "repo");
const users: FleetUser[] = [];
let fakeBin = "";
/** Fleet names are unique on this machine: run containers are named after their instance. */
const suffix = randomBytes(3).toString("hex");

interface Case {
  cloud: "aws" | "gcp" | "azure";
  config?: string;
  placement: string;
  nodes: number;
  /** The user data as the VM gets it, from the instance's stored inputs. */
  userData(inputs: StoredResource["inputs"]): Buffer;
}

const b64 = (v: unknown): Buffer => Buffer.from(String(v), "base64");
const CASES: Case[] = [
  {
    cloud: "aws",
    placement: "backends: [aws]\nregions: [us-east-1]\ninstance_types: [t3.large]\n",
    nodes: 2,
    userData: (inputs) => b64(inputs.userDataBase64),
  },
  {
    cloud: "gcp",
    config: "backends:\n  - type: gcp\n    project: dstack-test\n",
    placement: "backends: [gcp]\nregions: [us-central1]\ninstance_types: [e2-standard-4]\n",
    nodes: 1,
    userData: (inputs) => Buffer.from(String((inputs.metadata as Record<string, unknown>)["user-data"])),
  },
  {
    cloud: "azure",
    config: "backends:\n  - type: azure\n    subscription_id: 11111111-2222-3333-4444-555555555555\n",
    placement: "backends: [azure]\nregions: [eastus]\ninstance_types: [Standard_D4s_v5]\n",
    nodes: 1,
    userData: (inputs) => b64((inputs.osProfile as Record<string, unknown>).customData),
  },
];

const sha = (data: Buffer | string): string => createHash("sha256").update(data).digest("hex");

function fleetFile(c: Case, name: string, nodes = c.nodes): string {
  const file = `${name}.dstack.yml`;
  writeFileSync(
    join(repo, file),
    `type: fleet\nname: ${name}\nnodes: ${nodes}\n${c.placement}spot_policy: on-demand\n`,
  );
  return file;
}

async function apply(u: FleetUser, file: string): Promise<void> {
  const r = await runCli(["apply", "-f", file, "-y"], { cwd: repo, env: u.env, timeoutMs: 300_000 });
  expect(r.code, r.out).toBe(0);
}

function expectNothingLeft(u: FleetUser, fleet: string, force = false): void {
  const d = cliSync(["delete", fleet, "-y", ...(force ? ["--force"] : [])], { cwd: repo, env: u.env });
  expect(d.code, d.out).toBe(0);
  expect(bootedContainers(u.cloud)).toEqual([]);
  expect(docker(["ps", "-aq", "--filter", `label=dstack.fake-cloud=${storeLabel(u.cloud)}`])).toBe("");
  expect(listResources(u.cloud)).toEqual([]);
  expect(orphans(u)).toEqual([]);
  expect(stackStates(u.home)).toEqual([]);
  const dirs = join(u.cloud, "instances");
  expect(existsSync(dirs) ? readdirSync(dirs) : []).toEqual([]);
}

/** The instance's container by what it publishes: its public address, port 22. */
function containerOf(u: FleetUser, instance: FleetInstance): ReturnType<typeof inspectContainer> {
  const found = bootedContainers(u.cloud)
    .map(inspectContainer)
    .find((c) => c.ssh.includes(`${instance.public_ip}:22`));
  if (found === undefined) throw new Error(`no container publishes ${instance.public_ip}:22`);
  return found;
}

/** Submits `job` to the instance's agent, waits until it serves; returns the run's container id. */
async function webRun(client: Client, instanceContainer: string, job: JobSpec): Promise<string> {
  const submitted = await agentCall(client, "POST", "/api/runs", job);
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
  const view = await until(
    "the run to be running",
    async () => {
      const r = (await agentCall(client, "GET", "/api/runs/web")).body as RunView;
      if (r.status === "failed") throw new Error(`the run failed: ${r.message ?? ""}`);
      return r.status === "running" && r.container_id !== null ? r : undefined;
    },
    120_000,
    { intervalMs: 500, retryErrors: true },
  );
  const runContainer = view.container_id ?? "";
  expect(docker(["inspect", "-f", "{{.HostConfig.NetworkMode}}", runContainer])).toBe(
    `container:${instanceContainer}`,
  );
  const served = await until(
    "the run's server on the instance's 127.0.0.1:8899",
    async () => {
      const r = await exec(client, "curl -sf http://127.0.0.1:8899/out.txt");
      return r.code === 0 ? r.stdout.trim() : undefined;
    },
    60_000,
    { intervalMs: 500, retryErrors: true },
  );
  expect(served).toBe("hello-from-the-run");
  // The run's /workflow is the instance's data_dir folder: the bind source was the host's path of it.
  const onInstance = await exec(client, "cat /var/lib/dstack/runs/web/workflow/out.txt");
  expect(onInstance.stdout.trim()).toBe("hello-from-the-run");
  return runContainer;
}

describe("the fake cloud boots instances (real engine, real cloud-init, SSH)", () => {
  beforeAll(() => {
    requirePulumi();
    requireDockerImages(localImages().instance, BASE_IMAGE);
    fakeBin = installFakeCloud(join(tmp, "fake-bin")).binDir;
    execFileSync("git", ["init", "-q", repo]);
  });

  afterAll(() => {
    cleanUp(users);
    rmSync(tmp, { recursive: true, force: true });
  });

  for (const c of CASES) {
    it(`${c.cloud}: each instance boots its user data, answers SSH at public_ip:22 as ssh_user, runs the agent; delete leaves nothing`, async () => {
      const u = bootingUser(fakeBin, c.config);
      users.push(u);
      const fleet = `${c.cloud}-boot-${suffix}`;
      await apply(u, fleetFile(c, fleet));

      const instances = fleetInstances(u, repo, fleet);
      expect(instances).toHaveLength(c.nodes);
      expect(bootedContainers(u.cloud)).toHaveLength(c.nodes);
      const ips = instances.map((i) => i.public_ip);
      expect(new Set(ips).size).toBe(c.nodes);
      const stored = instancesIn(u.cloud);
      for (const instance of instances) {
        expect(instance.public_ip).toMatch(/^127\.0\.0\.(1\d|[2-9]\d|1\d\d|2[0-4]\d|250)$/);
        const box = containerOf(u, instance);
        expect(box).toMatchObject({ running: true, ssh: [`${instance.public_ip}:22`] });
        expect(box.labels).toMatchObject({
          "dstack.managed": "true",
          "dstack.fake-cloud": storeLabel(u.cloud),
        });
        const record = stored.find((r) => r.id === instance.id);
        expect(box.labels["dstack.fake-cloud.resource"]).toBe(instance.id);
        expect(inspectContainer(record?.container ?? "(no container recorded)").id).toBe(box.id);

        const client = await sshTo(u, instance);
        try {
          const who = await exec(
            client,
            "id -un; cloud-init status; sha256sum /var/lib/cloud/instance/user-data.txt",
          );
          expect(who.code, who.stderr).toBe(0);
          const [user, status, digest] = who.stdout.trim().split("\n");
          expect(user).toBe(instance.ssh_user);
          expect(status).toBe("status: done");
          // cloud-init consumed exactly the user data the stack gave the cloud.
          expect(digest?.split(" ")[0]).toBe(sha(c.userData(record?.inputs ?? {})));
          const health = await agentCall(client, "GET", "/api/health");
          expect(health).toMatchObject({ status: 200, body: { instance_name: instance.name } });
          const log = await exec(client, "cat /var/log/dstack-agent.log");
          expect(log.stdout).toContain(`inside container ${box.id.slice(0, 12)} of the Docker engine`);
        } finally {
          client.end();
        }
      }

      if (c.nodes > 1) {
        // A spot eviction behind the engine's back takes the VM, so its container, and nothing else.
        const [evicted, kept] = instances as [FleetInstance, FleetInstance];
        const gone = containerOf(u, evicted);
        expect(removeResource(u.cloud, c.cloud, evicted.id)).toBe(true);
        expect(containerExists(gone.id)).toBe(false);
        expect(containerOf(u, kept).running).toBe(true);
      }
      expectNothingLeft(u, fleet);
    }, 360_000);
  }

  it("aws: a run the agent starts shares the instance's network and binds its data through the host", async () => {
    const c = CASES[0] as Case;
    const u = bootingUser(fakeBin);
    users.push(u);
    const fleet = `run-boot-${suffix}`;
    await apply(u, fleetFile(c, fleet, 1));
    const [instance] = fleetInstances(u, repo, fleet) as [FleetInstance];
    const box = containerOf(u, instance);
    const publicKey = readFileSync(join(u.home, ".dstack", "ssh", "id_ed25519.pub"), "utf8").trim();
    const job: JobSpec = {
      spec_version: 1,
      name: "web",
      kind: "task",
      image: BASE_IMAGE,
      pull: false,
      repo_id: "boot-test",
      repo_upload: false,
      env: {},
      ports: [8899],
      volumes: [],
      working_dir: "/workflow",
      privileged: false,
      // Listens on 127.0.0.1 only: reachable from the instance only if they share one network namespace.
      commands: [
        "echo hello-from-the-run > /workflow/out.txt",
        "exec python3 -m http.server 8899 --bind 127.0.0.1",
      ],
      init: [],
      shm_size_gb: null,
      gpus: 0,
      ssh_authorized_keys: [publicKey],
      inactivity_duration: null,
      max_duration: null,
    };
    const client = await sshTo(u, instance);
    const runContainer = await webRun(client, box.id, job).finally(() => client.end());
    // The run is active: delete refuses without --force.
    const refused = cliSync(["delete", fleet, "-y"], { cwd: repo, env: u.env });
    expect(refused.code, refused.out).toBe(1);
    expect(refused.stderr).toContain(`fleet ${fleet} has active runs: web`);
    expectNothingLeft(u, fleet, true);
    // Terminating the VM ended what ran on it.
    expect(containerExists(runContainer)).toBe(false);
  }, 360_000);

  it("a missing instance image fails the create with the command that builds it, and leaves nothing", async () => {
    const u = bootingUser(fakeBin);
    users.push(u);
    u.env.DSTACK_FAKE_CLOUD_IMAGE = "dstack/local-instance:not-built";
    const fleet = `noimage-boot-${suffix}`;
    const r = await runCli(["apply", "-f", fleetFile(CASES[0] as Case, fleet, 1), "-y"], {
      cwd: repo,
      env: u.env,
      timeoutMs: 300_000,
    });
    expect(r.code, r.out).not.toBe(0);
    expect(r.out).toContain(
      "fake-cloud (aws): instance image dstack/local-instance:not-built missing: run ./scripts/build-instance-image",
    );
    expect(bootedContainers(u.cloud)).toEqual([]);
    expect(instancesIn(u.cloud)).toEqual([]);
    expect(orphans(u)).toEqual([]);
  }, 360_000);
});
