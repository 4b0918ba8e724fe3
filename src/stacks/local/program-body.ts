// The body of a local pool's Pulumi program (program.ts loads it when the program runs): one
// LocalInstance per instance, booted with the same user data a cloud VM gets.
import { renderUserData } from "../../templates/user-data.js";
import { localAgentConfig } from "./agent-config.js";
import { instanceDirs } from "./instance-ops.js";
import { LocalInstance } from "./instance-resource.js";
import type { LocalPoolInput } from "./program.js";

export function userDataFor(
  input: LocalPoolInput,
  name: string,
  idleDurationS?: number | null,
  own: { keys?: readonly string[]; root?: string } = {},
): string {
  const agentConfig = localAgentConfig(name, instanceDirs(own.root ?? input.root, name).data, idleDurationS);
  return renderUserData({
    agentSource: input.agentSource,
    agentConfig,
    sshAuthorizedKeys: own.keys ?? input.sshAuthorizedKeys,
    instanceName: name,
  });
}

export function localInstances(input: LocalPoolInput): Record<string, unknown> {
  const instances = input.instances.map(
    ({ name, zone, idle_duration_s, ssh_authorized_keys, root }) =>
      new LocalInstance(name, {
        name,
        image: input.image,
        userData: userDataFor(input, name, idle_duration_s, {
          ...(ssh_authorized_keys === undefined ? {} : { keys: ssh_authorized_keys }),
          ...(root === undefined ? {} : { root }),
        }),
        root: root ?? input.root,
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
}
