// The Pulumi program of a local pool: one LocalInstance per instance, booted with the same user data a
// cloud VM gets. Exports what the CLI needs to reach each instance. The resource (and with it
// @pulumi/pulumi, ~0.8 s) loads only when the program runs: reusing an idle instance never does.
import type { PulumiFn } from "@pulumi/pulumi/automation/index.js";
import { renderUserData } from "../../templates/user-data.js";
import { localAgentConfig } from "./agent-config.js";
import type { FaultInputs } from "./faults.js";
import { instanceDirs } from "./instance-ops.js";

export interface LocalPoolMember {
  name: string;
  /** The simulated availability zone it was created in (config.yml `zones`), if any. */
  zone?: string | null;
}

export interface LocalPoolInput {
  instances: readonly LocalPoolMember[];
  image: string;
  /** Host folder for seeds and data, e.g. ~/.dstack/local/instances. */
  root: string;
  /** Absolute path of dist/local-instance-ops.js. */
  opsScript: string;
  agentSource: string;
  sshAuthorizedKeys: readonly string[];
  bootTimeout?: number;
  /** Injected capacity faults (a testing aid), applied when an instance is created. */
  faults?: FaultInputs;
}

export function userDataFor(input: LocalPoolInput, name: string): string {
  const agentConfig = localAgentConfig(name, instanceDirs(input.root, name).data);
  return renderUserData({
    agentSource: input.agentSource,
    agentConfig,
    sshAuthorizedKeys: input.sshAuthorizedKeys,
    instanceName: name,
  });
}

export function localPoolProgram(input: LocalPoolInput): PulumiFn {
  return async () => {
    const { LocalInstance } = await import("./instance-resource.js");
    const instances = input.instances.map(
      ({ name, zone }) =>
        new LocalInstance(name, {
          name,
          image: input.image,
          userData: userDataFor(input, name),
          root: input.root,
          bootTimeout: input.bootTimeout ?? 120,
          opsScript: input.opsScript,
          ...(zone === null || zone === undefined ? {} : { zone }),
          ...(input.faults === undefined ? {} : { faults: input.faults }),
        }),
    );
    return {
      instances: instances.map((i, n) => ({
        name: input.instances[n]?.name,
        zone: input.instances[n]?.zone ?? null,
        containerId: i.containerId,
        sshPort: i.sshPort,
      })),
    };
  };
}
