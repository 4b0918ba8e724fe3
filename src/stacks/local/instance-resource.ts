// The local "instance" as a Pulumi resource (a dynamic provider). Pulumi serializes this provider into
// the state, so its methods capture no module: they reach child_process through the `process` global
// and run the ops script (dist/local-instance-ops.js) in a child process.
import * as pulumi from "@pulumi/pulumi";
import type { FaultInputs } from "./faults.js";
import type { InstanceInputs, InstanceOutputs } from "./instance-ops.js";

interface ProviderInputs extends InstanceInputs {
  /** Absolute path of dist/local-instance-ops.js. */
  opsScript: string;
}

function runOps(script: string, op: string, inputs: object): Promise<Record<string, unknown>> {
  const { execFile } = process.getBuiltinModule("node:child_process");
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [script, op],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error !== null) reject(new Error(stderr.trim() || error.message));
        else resolve(JSON.parse(stdout || "{}") as Record<string, unknown>);
      },
    );
    child.stdin?.end(JSON.stringify(inputs));
  });
}

const provider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: ProviderInputs) {
    const outs = await runOps(inputs.opsScript, "create", inputs);
    return { id: String(outs.containerId), outs: { ...outs, opsScript: inputs.opsScript } };
  },
  diff(_id: string, olds: ProviderInputs, news: ProviderInputs) {
    // A new name, image or user data means a new instance: user data is immutable, as on Azure. The
    // zone and the faults only matter when an instance is created, so they never change one.
    const replaces = (["name", "image", "userData"] as const).filter((key) => olds[key] !== news[key]);
    return Promise.resolve({
      changes: replaces.length > 0,
      replaces: [...replaces],
      deleteBeforeReplace: true,
    });
  },
  async read(id: string, props: ProviderInputs) {
    const state = await runOps(props.opsScript, "read", props);
    // A vanished container reads as gone, so `refresh` drops it from the state.
    return state.exists === true ? { id, props } : { id: "", props: {} };
  },
  async delete(_id: string, props: ProviderInputs) {
    await runOps(props.opsScript, "delete", props);
  },
};

export interface LocalInstanceArgs {
  name: pulumi.Input<string>;
  image: pulumi.Input<string>;
  userData: pulumi.Input<string>;
  root: pulumi.Input<string>;
  bootTimeout: pulumi.Input<number>;
  opsScript: pulumi.Input<string>;
  /** The (simulated) availability zone the instance is created in; recorded, never changed in place. */
  zone?: pulumi.Input<string>;
  /** Injected capacity faults, a testing aid: a create in a faulted zone fails like a cloud's. */
  faults?: pulumi.Input<FaultInputs>;
}

export class LocalInstance extends pulumi.dynamic.Resource {
  declare readonly containerId: pulumi.Output<string>;
  declare readonly sshPort: pulumi.Output<number>;
  declare readonly dataDir: pulumi.Output<string>;

  constructor(name: string, args: LocalInstanceArgs, opts?: pulumi.CustomResourceOptions) {
    super(provider, name, { ...args, containerId: undefined, sshPort: undefined, dataDir: undefined }, opts);
  }
}

export type { InstanceOutputs };
