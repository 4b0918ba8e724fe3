// A local network volume as a Pulumi resource (a dynamic provider): a Docker named volume on this
// machine's engine, labelled dstack.managed=true. Runs mount it by name (Docker binds `name:/path`), so
// it outlives every run and instance; only `dstack volume delete` destroys its stack, and so the volume.
// Pulumi serializes this provider into the state: its methods capture no module and reach the Docker
// CLI through the `process` global.
import * as pulumi from "@pulumi/pulumi";

interface VolumeInputs {
  /** The Docker volume's name: the dstack volume's. */
  name: string;
  /** The dstack volume it belongs to (a label). */
  volume: string;
}

function dockerCli(args: string[]): Promise<string> {
  const { execFile } = process.getBuiltinModule("node:child_process");
  return new Promise((resolve, reject) => {
    execFile("docker", args, { timeout: 120_000 }, (error, stdout, stderr) => {
      if (error !== null)
        reject(new Error(`docker ${args.slice(0, 2).join(" ")}: ${stderr.trim() || error.message}`));
      else resolve(stdout.trim());
    });
  });
}

async function volumeExists(name: string): Promise<boolean> {
  try {
    await dockerCli(["volume", "inspect", name]);
    return true;
  } catch (error) {
    if (error instanceof Error && /no such volume/i.test(error.message)) return false;
    throw error;
  }
}

const provider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: VolumeInputs) {
    // A volume of that name that Docker already holds (made implicitly by a run's mount) is taken
    // over as it is: its data stays.
    const adopted = await volumeExists(inputs.name);
    if (!adopted)
      await dockerCli([
        "volume",
        "create",
        "--label",
        "dstack.managed=true",
        "--label",
        `dstack.volume=${inputs.volume}`,
        inputs.name,
      ]);
    return { id: inputs.name, outs: { ...inputs, adopted } };
  },
  diff(_id: string, olds: VolumeInputs, news: VolumeInputs) {
    const replaces = olds.name === news.name ? [] : ["name"];
    return Promise.resolve({ changes: replaces.length > 0, replaces, deleteBeforeReplace: true });
  },
  async read(id: string, props: VolumeInputs) {
    // A volume removed outside dstack reads as gone, so `refresh` drops it from the state.
    return (await volumeExists(props.name)) ? { id, props } : { id: "", props: {} };
  },
  async delete(_id: string, props: VolumeInputs) {
    try {
      await dockerCli(["volume", "rm", props.name]);
    } catch (error) {
      if (!(error instanceof Error && /no such volume/i.test(error.message))) throw error;
    }
  },
};

export interface LocalVolumeArgs {
  name: pulumi.Input<string>;
  volume: pulumi.Input<string>;
}

export class LocalVolume extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly adopted: pulumi.Output<boolean>;

  constructor(name: string, args: LocalVolumeArgs, opts?: pulumi.CustomResourceOptions) {
    super(provider, name, { ...args, adopted: undefined }, opts);
  }
}
