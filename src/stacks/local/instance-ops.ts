// Create, read and delete one local "instance": a container of the locally built Debian image that boots
// with real cloud-init from a NoCloud seed, exactly the user data a cloud VM gets. Run as a separate
// process by the dynamic provider (`node dist/local-instance-ops.js <op>` with JSON on stdin), so the
// provider that Pulumi serializes into state stays a few lines long.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { containersWithLabel, docker } from "./docker-cli.js";
import { checkCapacityFault, type FaultInputs } from "./faults.js";

export interface InstanceInputs {
  name: string;
  image: string;
  userData: string;
  /** Host folder holding every local instance's seed and data. */
  root: string;
  /** Seconds to wait for cloud-init to finish before the create fails (and cleans up). */
  bootTimeout: number;
  /** The simulated availability zone (config.yml `zones`); absent when none are configured. */
  zone?: string;
  /** Injected capacity faults (config.yml `faults`), checked before anything is created. */
  faults?: FaultInputs;
}

export interface InstanceOutputs extends InstanceInputs {
  containerId: string;
  sshPort: number;
  dataDir: string;
}

export const containerName = (name: string): string => `dstack-${name}`;
export const instanceLabel = (name: string): string => `dstack.instance=${name}`;

export function instanceDirs(root: string, name: string): { base: string; seed: string; data: string } {
  const base = join(root, name);
  return { base, seed: join(base, "seed"), data: join(base, "data") };
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function createInstance(inputs: InstanceInputs): InstanceOutputs {
  // A simulated capacity error fails the create before anything exists, as a cloud's would.
  const fault = inputs.faults === undefined ? null : checkCapacityFault(inputs.faults, inputs.zone);
  if (fault !== null) throw new Error(fault);
  const dirs = instanceDirs(inputs.root, inputs.name);
  mkdirSync(dirs.seed, { recursive: true });
  mkdirSync(dirs.data, { recursive: true });
  writeFileSync(join(dirs.seed, "user-data"), inputs.userData);
  writeFileSync(
    join(dirs.seed, "meta-data"),
    `instance-id: ${inputs.name}-${Date.now()}\nlocal-hostname: ${inputs.name}\n`,
  );
  try {
    const containerId = docker([
      "run",
      "-d",
      "--name",
      containerName(inputs.name),
      "--hostname",
      inputs.name,
      "--label",
      "dstack.managed=true",
      "--label",
      instanceLabel(inputs.name),
      "--label",
      "dstack.role=instance",
      ...(typeof inputs.zone === "string" ? ["--label", `dstack.zone=${inputs.zone}`] : []),
      "-p",
      "127.0.0.1::22",
      "-v",
      `${dirs.seed}:/var/lib/cloud/seed/nocloud:ro`,
      "-v",
      `${dirs.data}:/var/lib/dstack`,
      "-v",
      "/var/run/docker.sock:/var/run/docker.sock",
      inputs.image,
    ]);
    waitForBoot(containerName(inputs.name), inputs.bootTimeout);
    const port = docker(["port", containerName(inputs.name), "22/tcp"])
      .split("\n")[0]
      ?.split(":")
      .pop();
    return { ...inputs, containerId, sshPort: Number(port), dataDir: dirs.data };
  } catch (error) {
    // A failed create leaves nothing behind: Pulumi records no resource, so nothing may remain.
    deleteInstance(inputs);
    throw error;
  }
}

function waitForBoot(container: string, timeoutSeconds: number): void {
  const deadline = Date.now() + timeoutSeconds * 1000;
  while (Date.now() < deadline) {
    const state = docker(["inspect", "-f", "{{.State.Running}}", container]);
    if (state !== "true")
      throw new Error(
        `instance container ${container} stopped while booting:\n${docker(["logs", "--tail", "30", container])}`,
      );
    try {
      docker(["exec", container, "test", "-f", "/var/lib/cloud/instance/boot-finished"]);
      return;
    } catch {
      sleep(500);
    }
  }
  let log: string;
  try {
    log = docker(["exec", container, "tail", "-n", "30", "/var/log/cloud-init-output.log"]);
  } catch {
    log = "(no cloud-init log)";
  }
  throw new Error(`cloud-init did not finish within ${timeoutSeconds}s on ${container}:\n${log}`);
}

/** Remove the instance container, every workload container it started, and its seed and data folders. */
export function deleteInstance(inputs: Pick<InstanceInputs, "name" | "root">): void {
  const ids = containersWithLabel(instanceLabel(inputs.name));
  if (ids.length > 0) docker(["rm", "-f", "-v", ...ids]);
  rmSync(instanceDirs(inputs.root, inputs.name).base, { recursive: true, force: true });
}

/**
 * Whether the instance container runs. One that exited was powered off (its agent's self-stop, or the
 * Docker engine restarted): no run can live on it, so dstack takes it down.
 */
export function instanceRunning(name: string): boolean {
  return docker(["ps", "-q", "--filter", `name=^${containerName(name)}$`]) !== "";
}

/** Whether the instance container still exists (for refresh). */
export function instanceExists(name: string): boolean {
  return docker(["ps", "-aq", "--filter", `name=^${containerName(name)}$`]) !== "";
}

async function main(): Promise<void> {
  const op = process.argv[2];
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const inputs = JSON.parse(Buffer.concat(chunks).toString("utf8")) as InstanceInputs;
  const result =
    op === "create"
      ? createInstance(inputs)
      : op === "delete"
        ? (deleteInstance(inputs), {})
        : op === "read"
          ? { exists: instanceExists(inputs.name) }
          : undefined;
  if (result === undefined) throw new Error(`unknown operation ${op ?? "(none)"}`);
  process.stdout.write(JSON.stringify(result));
}

if (process.argv[1]?.endsWith("local-instance-ops.js") === true) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
