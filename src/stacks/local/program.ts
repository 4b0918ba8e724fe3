// The Pulumi program of a local pool: one LocalInstance per instance, booted with the same user data a
// cloud VM gets. Exports what the CLI needs to reach each instance. The body (program-body.ts, with
// @pulumi/pulumi, ~0.8 s, and the user-data template) loads only when the program runs: reusing an idle
// instance never does.
import type { PulumiFn } from "@pulumi/pulumi/automation/index.js";
import type { FaultInputs } from "./faults.js";

export interface LocalPoolMember {
  name: string;
  /** The simulated availability zone it was created in (config.yml `zones`), if any. */
  zone?: string | null;
  /** Its idle_duration as created, for its agent's self-stop backstop (absent: none, as before). */
  idle_duration_s?: number | null;
  /** The keys and folder it was created with (its creator's); absent: the pool's. */
  ssh_authorized_keys?: readonly string[];
  root?: string;
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

export function localPoolProgram(input: LocalPoolInput): PulumiFn {
  return async () => (await import("./program-body.js")).localInstances(input);
}
