// Helpers for the tests that boot fake-cloud instances: a user whose CLI boots them (the opt-in set),
// SSH to an instance at its stack outputs (public_ip:22 as ssh_user, the CLI's own key) and the
// agent's API through that connection, what Docker holds of an instance, and clean-up of a test's own
// containers. See test/fake-cloud/SPEC.md "Booting".
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Client } from "ssh2";
import { agentRequest, type AgentResponse } from "../../src/ssh/agent-client.js";
import { connectSsh } from "../../src/ssh/connect.js";
import { reaperPidFile } from "../../src/home/paths.js";
import { CLOUD_AGENT_PORT } from "../../src/stacks/cloud-user-data.js";
import { BOOT_ENV } from "../fake-cloud/boot/options.js";
import { removeBootedContainers } from "../fake-cloud/state.js";
import { cliSync } from "./e2e-cli.js";
import { docker } from "./docker.js";
import { fleetUser, type FleetUser } from "./fleet-e2e.js";

/** A fresh user whose fake cloud boots every instance it creates. */
export function bootingUser(fakeBin: string, config?: string): FleetUser {
  return fleetUser(fakeBin, config, { [BOOT_ENV]: "1" });
}

export interface FleetInstance {
  name: string;
  id: string;
  public_ip: string;
  ssh_user: string;
}

/** The instances `dstack ps --json` lists for a fleet (their stack outputs). */
export function fleetInstances(u: FleetUser, cwd: string, fleet: string): FleetInstance[] {
  const ps = cliSync(["ps", "--json"], { cwd, env: u.env });
  const fleets = (JSON.parse(ps.stdout) as { fleets: { name: string; instances: FleetInstance[] }[] }).fleets;
  return fleets.find((f) => f.name === fleet)?.instances ?? [];
}

/** SSH to the instance exactly as a client reaches a cloud VM: its public address, port 22, its user. */
export function sshTo(u: FleetUser, instance: FleetInstance): Promise<Client> {
  return connectSsh({
    host: instance.public_ip,
    port: 22,
    username: instance.ssh_user,
    privateKey: readFileSync(join(u.home, ".dstack", "ssh", "id_ed25519"), "utf8"),
  });
}

/** A call to the instance's agent through the SSH connection (as src/runs/agent-session.ts does). */
export function agentCall(
  client: Client,
  method: string,
  path: string,
  body?: unknown,
): Promise<AgentResponse> {
  return agentRequest(client, CLOUD_AGENT_PORT, method, path, body);
}

export interface InstanceContainer {
  id: string;
  running: boolean;
  labels: Record<string, string>;
  /** `<host ip>:<host port>` bindings of the container's port 22. */
  ssh: string[];
}

export function inspectContainer(name: string): InstanceContainer {
  const [info] = JSON.parse(docker(["inspect", name])) as {
    Id: string;
    State: { Running: boolean };
    Config: { Labels: Record<string, string> };
    HostConfig: { PortBindings?: Record<string, { HostIp: string; HostPort: string }[]> };
  }[];
  if (info === undefined) throw new Error(`no container ${name}`);
  return {
    id: info.Id,
    running: info.State.Running,
    labels: info.Config.Labels,
    ssh: (info.HostConfig.PortBindings?.["22/tcp"] ?? []).map((b) => `${b.HostIp}:${b.HostPort}`),
  };
}

/** Whether a container (by id or name) still exists. */
export const containerExists = (ref: string): boolean =>
  docker(["ps", "-aq", "--no-trunc", "--filter", `id=${ref}`]) !== "" ||
  docker(["ps", "-aq", "--filter", `name=^${ref}$`]) !== "";

/**
 * A test's own clean-up: every container its store booted, with the runs on them, and the user's
 * reaper (a test that failed midway leaves instances it would otherwise watch for days).
 */
export function cleanUp(users: readonly FleetUser[]): void {
  for (const u of users) {
    removeBootedContainers(u.cloud);
    try {
      const pid = Number(readFileSync(reaperPidFile(u.home), "utf8").trim());
      if (Number.isInteger(pid) && pid > 0) process.kill(pid, "SIGTERM");
    } catch {
      // No reaper, or already gone.
    }
  }
}
