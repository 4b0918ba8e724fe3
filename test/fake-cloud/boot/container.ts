// One booted instance: a container of the local instance image that boots like a VM, through real
// cloud-init from a NoCloud seed holding the user data the cloud was given; sshd published at its
// public address's port 22; the host's Docker socket as the VM's Docker engine; /var/lib/dstack (the
// agent's data) bind-mounted from the store, so the run containers the agent starts can bind its files.
// Removing it takes those run containers along (they share its network namespace), as terminating a
// VM ends what runs on it. GPUs are not emulated.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BootSpec } from "../core/kind.js";
import type { CloudName } from "../core/store.js";
import { dockerAsync, dockerSync, lines } from "./docker.js";
import { storeLabel, type BootOptions } from "./options.js";

export const STORE_LABEL = "dstack.fake-cloud";

export interface BootTarget {
  storeDir: string;
  cloud: CloudName;
  /** The instance's resource id. */
  id: string;
  serial: number;
  container: string;
  /** Its public address (127.0.0.N), or null when it has none (nothing is published). */
  address: string | null;
  spec: BootSpec;
  options: BootOptions;
}

/** The instance's seed and data folders live under the store: <dir>/instances/<container>/{seed,data}. */
export function instanceDir(storeDir: string, container: string): string {
  return join(storeDir, "instances", container);
}

export async function requireImage(image: string, signal?: AbortSignal): Promise<void> {
  try {
    await dockerAsync(["image", "inspect", "--format", "{{.Id}}", image], signal, 30_000);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    if (!/No such image/i.test(text)) throw error;
    throw new Error(
      // Short enough to survive the 120-character attempt summaries of the CLI.
      `instance image ${image} missing: run ./scripts/build-instance-image (after ./scripts/ensure-docker)`,
      { cause: error },
    );
  }
}

/** NoCloud meta-data: YAML, every value a JSON string (valid YAML). */
function metaData(spec: BootSpec): string {
  const q = (s: string): string => JSON.stringify(s);
  const keys = spec.publicKeys.map((k) => `  - ${q(k)}\n`).join("");
  return `instance-id: ${q(spec.instanceId)}\nlocal-hostname: ${q(spec.hostname)}\n${keys === "" ? "" : `public-keys:\n${keys}`}`;
}

function runArgs(t: BootTarget, seed: string, data: string): string[] {
  const labels = {
    "dstack.managed": "true",
    [STORE_LABEL]: storeLabel(t.storeDir),
    "dstack.fake-cloud.cloud": t.cloud,
    "dstack.fake-cloud.resource": t.id,
  };
  return [
    "run",
    "-d",
    "--name",
    t.container,
    "--hostname",
    t.spec.hostname,
    ...Object.entries(labels).flatMap(([k, v]) => ["--label", `${k}=${v}`]),
    ...(t.address === null ? [] : ["-p", `${t.address}:22:22`]),
    "-v",
    `${seed}:/var/lib/cloud/seed/nocloud:ro`,
    "-v",
    `${data}:/var/lib/dstack`,
    "-v",
    "/var/run/docker.sock:/var/run/docker.sock",
    t.options.image,
  ];
}

const pause = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });

async function tail(container: string): Promise<string> {
  return dockerAsync(["exec", container, "tail", "-n", "30", "/var/log/cloud-init-output.log"]).catch(() =>
    dockerAsync(["logs", "--tail", "30", container]).catch(() => "(no log)"),
  );
}

/** Until cloud-init has finished (boot-finished written), as the local backend's instance-ops does. */
async function waitForCloudInit(container: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (signal?.aborted === true) throw new Error(`boot of ${container} cancelled`);
    if ((await dockerAsync(["inspect", "-f", "{{.State.Running}}", container], signal)) !== "true")
      throw new Error(`instance container ${container} stopped while booting:\n${await tail(container)}`);
    const done = await dockerAsync(
      ["exec", container, "test", "-f", "/var/lib/cloud/instance/boot-finished"],
      signal,
    ).then(
      () => true,
      () => false,
    );
    if (done) return;
    if (Date.now() > deadline)
      throw new Error(
        `cloud-init did not finish within ${timeoutMs / 1000} s on ${container}:\n${await tail(container)}`,
      );
    await pause(500, signal);
  }
}

/** Starts the container and waits for cloud-init; on any failure nothing of it is left. */
export async function bootContainer(t: BootTarget, signal?: AbortSignal): Promise<void> {
  const base = instanceDir(t.storeDir, t.container);
  const seed = join(base, "seed");
  const data = join(base, "data");
  mkdirSync(seed, { recursive: true });
  mkdirSync(data, { recursive: true });
  writeFileSync(join(seed, "user-data"), t.spec.userData);
  writeFileSync(join(seed, "meta-data"), metaData(t.spec));
  try {
    await dockerAsync(runArgs(t, seed, data), signal);
    await waitForCloudInit(t.container, t.options.timeoutMs, signal);
  } catch (error) {
    removeContainer(t.storeDir, t.container);
    throw error;
  }
}

/** The run containers in the network namespace of container `id` (named `name`): the VM's workloads. */
function runsOn(id: string, name: string): string[] {
  for (let attempt = 0; ; attempt++) {
    const managed = lines(dockerSync(["ps", "-aq", "--no-trunc", "--filter", "label=dstack.managed=true"]));
    if (managed.length === 0) return [];
    try {
      return lines(dockerSync(["inspect", "-f", "{{.Id}} {{.HostConfig.NetworkMode}}", ...managed]))
        .map((l) => l.split(" "))
        .filter(([, mode]) => mode === `container:${id}` || mode === `container:${name}`)
        .map(([run = ""]) => run);
    } catch (error) {
      if (attempt > 2) throw error; // one of them went away between ps and inspect: list again
    }
  }
}

/** Removes the instance container, the run containers in its network namespace, and its folders. */
/** Whether the instance's container runs: false once its guest powered off (or it was removed). */
export function containerRunning(container: string): boolean {
  try {
    return dockerSync(["inspect", "--format", "{{.State.Running}}", container], 30_000).trim() === "true";
  } catch {
    return false;
  }
}

export function removeContainer(storeDir: string, container: string): void {
  const id = dockerSync(["ps", "-aq", "--no-trunc", "--filter", `name=^${container}$`]);
  if (id !== "") dockerSync(["rm", "-f", "-v", ...runsOn(id, container), id]);
  rmSync(instanceDir(storeDir, container), { recursive: true, force: true });
}
